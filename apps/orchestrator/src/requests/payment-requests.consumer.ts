import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { PaymentRequestsService } from './payment-requests.service';

/**
 * The intents service's requests, consumed through the inbox transport: each handler runs in the
 * transaction that records the inbox row and writes only through `ctx.tx`.
 */
@Controller()
export class PaymentRequestsConsumer {
  constructor(private readonly requests: PaymentRequestsService) {}

  @EventPattern('payment_intent.authorization_requested')
  authorizationRequested(
    @Payload() event: EventOf<'payment_intent.authorization_requested'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.requests.authorize(ctx.tx, event);
  }

  @EventPattern('payment_intent.capture_requested')
  captureRequested(
    @Payload() event: EventOf<'payment_intent.capture_requested'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.requests.capture(ctx.tx, event);
  }

  @EventPattern('payment_intent.cancel_requested')
  cancelRequested(
    @Payload() event: EventOf<'payment_intent.cancel_requested'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.requests.cancel(ctx.tx, event);
  }

  @EventPattern('refund.requested')
  refundRequested(@Payload() event: EventOf<'refund.requested'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.requests.refund(ctx.tx, event);
  }
}
