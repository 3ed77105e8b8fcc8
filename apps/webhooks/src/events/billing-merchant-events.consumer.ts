import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { MerchantEventsService } from './merchant-events.service';

/**
 * Billing's events that merchants hear about (payflow.billing.v1; merchant-event-mapping.ts):
 * invoices and subscriptions, recorded through the inbox transaction like intents' events. Billing's
 * other events (payment requests, payment method and clock steps) have no handler here and are
 * acknowledged without effect.
 */
@Controller()
export class BillingMerchantEventsConsumer {
  constructor(private readonly events: MerchantEventsService) {}

  @EventPattern('invoice.finalized')
  invoiceFinalized(@Payload() event: EventOf<'invoice.finalized'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('invoice.paid')
  invoicePaid(@Payload() event: EventOf<'invoice.paid'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('invoice.payment_failed')
  invoicePaymentFailed(
    @Payload() event: EventOf<'invoice.payment_failed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('invoice.voided')
  invoiceVoided(@Payload() event: EventOf<'invoice.voided'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('invoice.marked_uncollectible')
  invoiceMarkedUncollectible(
    @Payload() event: EventOf<'invoice.marked_uncollectible'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('subscription.created')
  subscriptionCreated(
    @Payload() event: EventOf<'subscription.created'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('subscription.updated')
  subscriptionUpdated(
    @Payload() event: EventOf<'subscription.updated'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('subscription.status_changed')
  subscriptionStatusChanged(
    @Payload() event: EventOf<'subscription.status_changed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }

  @EventPattern('subscription.canceled')
  subscriptionCanceled(
    @Payload() event: EventOf<'subscription.canceled'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.events.record(ctx.tx, event);
  }
}
