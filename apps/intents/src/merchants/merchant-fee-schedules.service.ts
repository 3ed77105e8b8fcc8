import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Tx } from '@payflow/platform/database';
import type { FeeSchedule } from '../payment-intents/fee-schedule';
import { merchantEventsTotal } from './merchant-metrics';
import { replacesSchedule, scheduleVersionOf } from './fee-projection';
import { MerchantFeeSchedulesRepository } from './merchant-fee-schedules.repository';

export type MerchantEvent = EventOf<'merchant.created'> | EventOf<'merchant.updated'>;

/** Work that waits for a merchant's schedule, run in the transaction that makes it known. */
export type ScheduleKnownFollower = (tx: Tx, merchantId: string, schedule: FeeSchedule) => Promise<void>;

/**
 * Intents' projection of merchants' fee schedules (DESIGN.md, "Billing"): the schedule of payments
 * no merchant request carries one for — billing's. Merchant requests keep using the schedule the
 * gateway sends with them. A payment whose merchant is not known yet waits for it (never a default
 * schedule): followers registered here resume it in the transaction that applies the schedule.
 */
@Injectable()
export class MerchantFeeSchedules {
  private readonly logger = new Logger(MerchantFeeSchedules.name);
  private readonly followers: ScheduleKnownFollower[] = [];

  constructor(
    private readonly schedules: MerchantFeeSchedulesRepository,
    private readonly clock: Clock,
  ) {}

  /** Called by what parks work until a merchant is known (invoice payments). */
  onScheduleKnown(follower: ScheduleKnownFollower): void {
    this.followers.push(follower);
  }

  /** Takes the merchant's lock (see the repository) and reads its schedule; null while unknown. */
  async lockAndFind(tx: Tx, merchantId: string): Promise<FeeSchedule | null> {
    await this.schedules.lockMerchant(tx, merchantId);
    return this.schedules.find(tx, merchantId);
  }

  /** Applies a `merchant.*` event in the inbox's transaction: only a newer version replaces the row. */
  async apply(tx: Tx, event: MerchantEvent): Promise<void> {
    const incoming = scheduleVersionOf(event.data);
    await this.schedules.lockMerchant(tx, incoming.merchant_id);
    const stored = await this.schedules.find(tx, incoming.merchant_id);
    if (!replacesSchedule(stored?.version ?? null, incoming.version)) {
      this.logger.log(
        `${event.type} ${event.id}: ${incoming.merchant_id} version ${incoming.version} is not newer than ${stored?.version}; ignored`,
      );
      merchantEventsTotal.inc({ type: event.type, outcome: 'stale' });
      return;
    }
    await this.schedules.upsertIfNewer(tx, incoming, event.id, this.clock.now());
    merchantEventsTotal.inc({ type: event.type, outcome: 'applied' });
    const schedule: FeeSchedule = { fee_bps: incoming.fee_bps, fee_fixed: incoming.fee_fixed };
    for (const follower of this.followers) await follower(tx, incoming.merchant_id, schedule);
  }
}
