import { createEnvelope, type CreateEnvelopeInput } from '../envelope';
import type { EventDataOf, EventOf, EventType } from './catalogue';

/**
 * `createEnvelope` for a known event type: `data` is checked at compile time against that type's
 * schema (a misspelt field or a `provider: 'paypal'` does not compile). Producers should prefer it.
 */
export function createEvent<T extends EventType>(input: CreateEnvelopeInput<EventDataOf<T>, T>): EventOf<T> {
  return createEnvelope(input);
}
