import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { DunningDecisions } from './dunning-decisions';
import { FinalActions } from './final-actions';
import { RetryRequests } from './retry-requests';
import { UnusablePaymentMethods } from './unusable-payment-methods';

/**
 * Dunning's events (`payflow.dunning.v1`), consumed through the inbox transport: each handler
 * writes only through `ctx.tx`, the transaction of its inbox row, so each event's effect happens
 * once. A clock's events share its partition (dunning keys them by the clock), so the retries of a
 * step are applied before that step's `dunning.clock_synced`.
 */
@Controller()
export class DunningEventsConsumer {
  constructor(
    private readonly retries: RetryRequests,
    private readonly unusable: UnusablePaymentMethods,
    private readonly finalActions: FinalActions,
    private readonly decisions: DunningDecisions,
  ) {}

  @EventPattern('dunning.retry_due')
  retryDue(@Payload() event: EventOf<'dunning.retry_due'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.retries.retryDue(ctx.tx, event);
  }

  @EventPattern('payment_method.unusable')
  paymentMethodUnusable(@Payload() event: EventOf<'payment_method.unusable'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.unusable.remember(ctx.tx, event);
  }

  @EventPattern('dunning.exhausted')
  exhausted(@Payload() event: EventOf<'dunning.exhausted'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.finalActions.exhausted(ctx.tx, event);
  }

  @EventPattern('dunning.decided')
  decided(@Payload() event: EventOf<'dunning.decided'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.decisions.decided(ctx.tx, event);
  }

  @EventPattern('dunning.clock_synced')
  clockSynced(@Payload() event: EventOf<'dunning.clock_synced'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.decisions.clockSynced(ctx.tx, event);
  }
}
