import { TOPICS, createEvent } from '@payflow/contracts';
import type { OutgoingEvent } from '@payflow/platform/outbox';
import type { TestClockRow } from './test-clock.row';

/**
 * `test_clock.advanced` for one step of an advance: the clock reached `frozen_time` on its way to
 * `target_time`. Keyed by the clock id (DESIGN.md "Event catalogue (billing and dunning)"), so a
 * clock's steps keep their order; the aggregate version is the clock's step count.
 */
export function testClockAdvancedEvent(clock: TestClockRow, occurredAt: Date): OutgoingEvent {
  const event = createEvent({
    type: 'test_clock.advanced',
    source: 'billing',
    aggregate_type: 'test_clock',
    aggregate_id: clock.id,
    aggregate_version: clock.version,
    merchant_id: clock.merchant_id,
    occurred_at: occurredAt.toISOString(),
    correlation_id: `advance_${clock.id}`,
    causation_id: null,
    data: {
      clock: clock.id,
      frozen_time: clock.frozen_time.toISOString(),
      ...(clock.target_time ? { target_time: clock.target_time.toISOString() } : {}),
    },
  });
  return { topic: TOPICS.billing, event, key: clock.id };
}
