import { randomUUID } from 'node:crypto';
import type { Counter } from 'prom-client';
import { EventDataOf, EventOf, createEvent, validateEvent } from '@payflow/contracts';

/** The events dunning publishes on `payflow.dunning.v1` (billing consumes them). */
export type DunningEventType =
  | 'dunning.decided'
  | 'dunning.retry_due'
  | 'dunning.clock_synced'
  | 'dunning.exhausted'
  | 'payment_method.unusable';

/**
 * A dunning event as the inbox would hand it to a handler, checked against its contract first (so
 * a test never passes on an event dunning could not publish).
 */
export function dunningEvent<T extends DunningEventType>(
  type: T,
  merchant: string,
  aggregateId: string,
  data: EventDataOf<T>,
): EventOf<T> {
  const event = createEvent({
    type,
    id: randomUUID(),
    source: 'dunning',
    aggregate_type: type === 'dunning.clock_synced' ? 'test_clock' : 'dunning_case',
    aggregate_id: aggregateId,
    aggregate_version: 1,
    merchant_id: merchant,
    correlation_id: 'corr_dunning_test',
    causation_id: null,
    data,
  }) as EventOf<T>;
  const checked = validateEvent(event);
  if (!checked.ok) throw new Error(`${type} does not validate: ${checked.errors.join('; ')}`);
  return event;
}

/** The value of one labelled series of a counter (0 when it was never incremented). */
export async function counterValue(counter: Counter<string>, labels: Record<string, string>): Promise<number> {
  const { values } = await counter.get();
  const found = values.find((v) => Object.entries(labels).every(([k, value]) => v.labels[k] === value));
  return found?.value ?? 0;
}
