import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { PaymentResultsService } from './payment-results.service';

/**
 * The orchestrator's `payment.*` results, consumed through the inbox transport: each handler runs
 * in the transaction that also records the inbox row, and writes only through `ctx.tx`.
 */
@Controller()
export class PaymentResultsConsumer {
  constructor(private readonly results: PaymentResultsService) {}

  @EventPattern('payment.authorized')
  authorized(@Payload() event: EventOf<'payment.authorized'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.authorization_failed')
  authorizationFailed(
    @Payload() event: EventOf<'payment.authorization_failed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.captured')
  captured(@Payload() event: EventOf<'payment.captured'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.capture_failed')
  captureFailed(
    @Payload() event: EventOf<'payment.capture_failed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.canceled')
  canceled(@Payload() event: EventOf<'payment.canceled'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.cancel_failed')
  cancelFailed(@Payload() event: EventOf<'payment.cancel_failed'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.refunded')
  refunded(@Payload() event: EventOf<'payment.refunded'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.refund_failed')
  refundFailed(@Payload() event: EventOf<'payment.refund_failed'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.capture_reversed')
  captureReversed(
    @Payload() event: EventOf<'payment.capture_reversed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.refund_reversed')
  refundReversed(
    @Payload() event: EventOf<'payment.refund_reversed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.late_success')
  lateSuccess(@Payload() event: EventOf<'payment.late_success'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }

  @EventPattern('payment.late_success_reversed')
  lateSuccessReversed(
    @Payload() event: EventOf<'payment.late_success_reversed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.results.apply(ctx.tx, event);
  }
}
