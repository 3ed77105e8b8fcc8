import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { InvoiceLifecycle } from './invoice-lifecycle';
import { PaymentFailures } from './payment-failures';
import { PaymentMethodChanges } from './payment-method-changes';

/**
 * Cases' consumer of `payflow.billing.v1` (through the inbox transport: each handler writes only
 * through `ctx.tx`, the transaction of its inbox row; a redelivered event is skipped by the inbox,
 * and each handler is idempotent besides). `test_clock.advanced` is the scheduler's.
 */
@Controller()
export class BillingEventsConsumer {
  constructor(
    private readonly lifecycle: InvoiceLifecycle,
    private readonly failures: PaymentFailures,
    private readonly cards: PaymentMethodChanges,
  ) {}

  @EventPattern('invoice.finalized')
  finalized(@Payload() event: EventOf<'invoice.finalized'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.lifecycle.finalized(ctx.tx, event);
  }

  @EventPattern('invoice.payment_failed')
  paymentFailed(@Payload() event: EventOf<'invoice.payment_failed'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.failures.failed(ctx.tx, event);
  }

  @EventPattern('invoice.paid')
  paid(@Payload() event: EventOf<'invoice.paid'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.lifecycle.ended(ctx.tx, event);
  }

  @EventPattern('invoice.voided')
  voided(@Payload() event: EventOf<'invoice.voided'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.lifecycle.ended(ctx.tx, event);
  }

  @EventPattern('invoice.marked_uncollectible')
  markedUncollectible(@Payload() event: EventOf<'invoice.marked_uncollectible'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.lifecycle.ended(ctx.tx, event);
  }

  @EventPattern('customer.payment_method_updated')
  paymentMethodUpdated(@Payload() event: EventOf<'customer.payment_method_updated'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.cards.updated(ctx.tx, event);
  }
}
