import { EventPattern } from '@nestjs/microservices';

export const BATCH_PATTERN_PREFIX = 'batch:';

/**
 * Marks a handler that takes every new event of a topic's Kafka batch at once (hot paths such as the
 * ledger): `(events: EventEnvelope[], ctx: InboxContext)`, one transaction per batch, duplicates
 * already filtered through the inbox in one statement. With `types`, only those event types reach
 * it; the others are neither validated nor recorded in the inbox.
 */
export function BatchEventPattern(topic: string, types?: readonly string[]): MethodDecorator {
  return EventPattern(`${BATCH_PATTERN_PREFIX}${topic}`, { types });
}
