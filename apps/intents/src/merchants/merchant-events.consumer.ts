import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { MerchantFeeSchedules } from './merchant-fee-schedules.service';

/** The gateway's `merchant.*` events (`payflow.gateway.v1`), through the inbox transport. */
@Controller()
export class MerchantEventsConsumer {
  constructor(private readonly schedules: MerchantFeeSchedules) {}

  @EventPattern('merchant.created')
  created(@Payload() event: EventOf<'merchant.created'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.schedules.apply(ctx.tx, event);
  }

  @EventPattern('merchant.updated')
  updated(@Payload() event: EventOf<'merchant.updated'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.schedules.apply(ctx.tx, event);
  }
}
