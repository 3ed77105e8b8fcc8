import { Injectable } from '@nestjs/common';
import { Queryable } from '@payflow/platform/database';
import type { FeeSchedule } from '../payment-intents/fee-schedule';
import { ScheduleVersion } from './fee-projection';

/** SQL of `merchant_fee_schedules`, intents' projection of the gateway's `merchant.*` events. */
@Injectable()
export class MerchantFeeSchedulesRepository {
  /**
   * Serializes, per merchant, the projection's writes with the invoice payments that wait for it:
   * whichever commits second sees the other (a command parked while the merchant event was being
   * applied would otherwise wait for an event that already came). Released at commit.
   */
  async lockMerchant(tx: Queryable, merchantId: string): Promise<void> {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `intents:merchant:${merchantId}`,
    ]);
  }

  async find(db: Queryable, merchantId: string): Promise<(FeeSchedule & { version: number }) | null> {
    const [row] = await db.query(
      `SELECT fee_bps, fee_fixed, version FROM merchant_fee_schedules WHERE merchant_id = $1`,
      [merchantId],
    );
    if (!row) return null;
    return { fee_bps: Number(row.fee_bps), fee_fixed: row.fee_fixed, version: Number(row.version) };
  }

  /**
   * Stores `schedule` unless the row already holds this version or a newer one (a redelivery, an
   * event overtaken by a later one). True when it was stored.
   */
  async upsertIfNewer(
    tx: Queryable,
    schedule: ScheduleVersion,
    eventId: string,
    now: Date,
  ): Promise<boolean> {
    const rows: unknown[] = await tx.query(
      `INSERT INTO merchant_fee_schedules (merchant_id, name, fee_bps, fee_fixed, version, source_event_id, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7)
       ON CONFLICT (merchant_id) DO UPDATE
          SET name = excluded.name, fee_bps = excluded.fee_bps, fee_fixed = excluded.fee_fixed,
              version = excluded.version, source_event_id = excluded.source_event_id, updated_at = excluded.updated_at
        WHERE merchant_fee_schedules.version < excluded.version
       RETURNING merchant_id`,
      [
        schedule.merchant_id,
        schedule.name,
        schedule.fee_bps,
        JSON.stringify(schedule.fee_fixed),
        schedule.version,
        eventId,
        now,
      ],
    );
    return rows.length > 0;
  }
}
