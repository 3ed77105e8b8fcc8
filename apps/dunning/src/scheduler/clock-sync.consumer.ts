import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { ClockSync } from './clock-sync';

/** `test_clock.advanced` from `payflow.billing.v1`: a clock's step, synced in the inbox transaction. */
@Controller()
export class ClockSyncConsumer {
  constructor(private readonly sync: ClockSync) {}

  @EventPattern('test_clock.advanced')
  advanced(@Payload() event: EventOf<'test_clock.advanced'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.sync.advanced(ctx.tx, event);
  }
}
