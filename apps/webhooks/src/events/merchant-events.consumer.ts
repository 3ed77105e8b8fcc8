import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { MerchantEventsService } from './merchant-events.service';

/**
 * Intents' events that merchants hear about (merchant-event-mapping.ts), consumed through the inbox
 * transport: each handler writes only through `ctx.tx`, the transaction of its inbox row. Intents'
 * other events have no handler here and are acknowledged without effect.
 */
@Controller()
export class MerchantEventsConsumer {
  constructor(private readonly events: MerchantEventsService) {}

  @EventPattern('payment_intent.created')
  created(@Payload() event: EventOf<'payment_intent.created'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('payment_intent.authorized')
  authorized(
    @Payload() event: EventOf<'payment_intent.authorized'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('payment_intent.captured')
  captured(@Payload() event: EventOf<'payment_intent.captured'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('payment_intent.authorization_failed')
  authorizationFailed(
    @Payload() event: EventOf<'payment_intent.authorization_failed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('payment_intent.canceled')
  canceled(@Payload() event: EventOf<'payment_intent.canceled'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('refund.requested')
  refundRequested(@Payload() event: EventOf<'refund.requested'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('refund.succeeded')
  refundSucceeded(@Payload() event: EventOf<'refund.succeeded'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('refund.failed')
  refundFailed(@Payload() event: EventOf<'refund.failed'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }
}
