import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { PaymentAnswers } from './payment-answers.service';

/**
 * Intents' answers to `invoice.payment_requested`, consumed from `payflow.intents.v1` through the
 * inbox transport: each handler writes only through `ctx.tx`, the transaction of its inbox row.
 * Intents' other events (and these for intents without an invoice) are acknowledged without effect.
 */
@Controller()
export class PaymentAnswersConsumer {
  constructor(private readonly answers: PaymentAnswers) {}

  @EventPattern('payment_intent.captured')
  captured(@Payload() event: EventOf<'payment_intent.captured'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.answers.captured(ctx.tx, event);
  }

  @EventPattern('payment_intent.authorization_failed')
  authorizationFailed(
    @Payload() event: EventOf<'payment_intent.authorization_failed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.answers.failed(ctx.tx, event);
  }

  @EventPattern('payment_intent.capture_failed')
  captureFailed(@Payload() event: EventOf<'payment_intent.capture_failed'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.answers.failed(ctx.tx, event);
  }

  @EventPattern('payment_intent.capture_reversed')
  captureReversed(
    @Payload() event: EventOf<'payment_intent.capture_reversed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.answers.captureReversed(ctx.tx, event);
  }

  @EventPattern('invoice.payment_request_rejected')
  rejected(@Payload() event: EventOf<'invoice.payment_request_rejected'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.answers.rejected(ctx.tx, event);
  }
}
