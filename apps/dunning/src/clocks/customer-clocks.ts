import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';

export interface ClockRow {
  id: string;
  merchant_id: string;
  /** The latest step dunning has synced (`test_clock.advanced`), null before the first. */
  frozen_time: Date | null;
  syncs: number;
}

/**
 * The customer's clock (DESIGN.md "Time"), as dunning knows it from billing's events: the wall
 * clock (the platform Clock), or a test clock whose time is the latest of its synced step and the
 * clock time of the event being handled (billing's events carry `clock_time`).
 *
 * The clock's row is also the lock that keeps a decision and the clock's sync apart: a decision
 * on a clock's customer holds it FOR SHARE, the sync FOR UPDATE. So a retry decided while a step
 * is synced is either committed before the sync looks for due retries, or sees the step's time and
 * is issued at once — never left behind a `dunning.clock_synced` that claims it was issued.
 */
@Injectable()
export class CustomerClocks {
  private readonly logger = new Logger(CustomerClocks.name);

  constructor(private readonly clock: Clock) {}

  /**
   * The customer's time for a decision, with the clock's share lock taken in `tx` (see above).
   * `eventTime` is the clock time the handled event carries, when it carries one.
   */
  async nowForDecision(tx: Queryable, clockId: string | null, merchantId: string, eventTime?: Date | null): Promise<Date> {
    if (clockId === null) return this.clock.now();
    const row = await this.lock(tx, clockId, merchantId, 'FOR SHARE');
    return this.latest(clockId, row.frozen_time, eventTime ?? null);
  }

  /** The customer's time without a lock (reads that decide nothing about retries on the clock). */
  async now(tx: Queryable, clockId: string | null, eventTime?: Date | null): Promise<Date> {
    if (clockId === null) return this.clock.now();
    const rows = rowsOf<{ frozen_time: Date | null }>(
      await tx.query(`SELECT frozen_time FROM clocks WHERE id = $1`, [clockId]),
    );
    return this.latest(clockId, rows[0]?.frozen_time ?? null, eventTime ?? null);
  }

  /** The clock's row locked for its sync (created at first sight). */
  lockForSync(tx: Queryable, clockId: string, merchantId: string): Promise<ClockRow> {
    return this.lock(tx, clockId, merchantId, 'FOR UPDATE');
  }

  /** Records a synced step: the clock's time moves forward only; returns the sync's number. */
  async recordSync(tx: Queryable, clockId: string, frozenTime: Date): Promise<number> {
    const rows = rowsOf<{ syncs: number }>(
      await tx.query(
        `UPDATE clocks
            SET frozen_time = GREATEST(frozen_time, $2), syncs = syncs + 1, updated_at = $3
          WHERE id = $1
          RETURNING syncs`,
        [clockId, frozenTime, this.clock.now()],
      ),
    );
    return rows[0].syncs;
  }

  private async lock(tx: Queryable, clockId: string, merchantId: string, mode: 'FOR SHARE' | 'FOR UPDATE'): Promise<ClockRow> {
    await tx.query(
      `INSERT INTO clocks (id, merchant_id, updated_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [clockId, merchantId, this.clock.now()],
    );
    const rows = rowsOf<ClockRow>(
      await tx.query(`SELECT id, merchant_id, frozen_time, syncs FROM clocks WHERE id = $1 ${mode}`, [clockId]),
    );
    return rows[0];
  }

  private latest(clockId: string, synced: Date | null, eventTime: Date | null): Date {
    const known = [synced, eventTime].filter((t): t is Date => t !== null).map((t) => new Date(t).getTime());
    if (known.length > 0) return new Date(Math.max(...known));
    // Billing's events on a clock always carry clock_time; this only guards against one that does not.
    this.logger.warn(`test clock ${clockId}: no time known yet, using the wall clock`);
    return this.clock.now();
  }
}
