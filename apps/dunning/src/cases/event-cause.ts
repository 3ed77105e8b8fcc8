import type { EventEnvelope } from '@payflow/contracts';
import type { EventCause } from '../events/dunning-publisher';

/** The consumed event as the cause of what dunning publishes in answer (one trace, one correlation). */
export function causeOf(event: EventEnvelope): EventCause {
  return { correlationId: event.correlation_id ?? null, causationId: event.id };
}
