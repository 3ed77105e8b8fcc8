import { Controller } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { EventEnvelope, TOPICS } from '@payflow/contracts';
import { BatchEventPattern, InboxContext } from '@payflow/platform/messaging';
import { BookWriter } from '../book/book-writer';
import { MONEY_EVENT_TYPES, isMoneyEvent } from '../posting-rules';

/**
 * Books the intents service's money events. One transaction per Kafka batch (the inbox has already
 * dropped events this consumer applied before); the transport passes only money events.
 */
@Controller()
export class MoneyEventsConsumer {
  constructor(private readonly book: BookWriter) {}

  @BatchEventPattern(TOPICS.intents, MONEY_EVENT_TYPES)
  async onIntentEvents(@Payload() events: EventEnvelope[], @Ctx() ctx: InboxContext): Promise<void> {
    await this.book.book(ctx.tx, events.filter(isMoneyEvent));
  }
}
