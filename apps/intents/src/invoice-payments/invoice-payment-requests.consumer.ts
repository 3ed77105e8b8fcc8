import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { InvoicePaymentsService } from './invoice-payments.service';

/** Billing's `invoice.payment_requested` (`payflow.billing.v1`), through the inbox transport. */
@Controller()
export class InvoicePaymentRequestsConsumer {
  constructor(private readonly payments: InvoicePaymentsService) {}

  @EventPattern('invoice.payment_requested')
  requested(@Payload() event: EventOf<'invoice.payment_requested'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.payments.request(ctx.tx, event);
  }
}
