import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import type { Queryable } from '@payflow/platform/database';

/** A customer's time and the clock it comes from (null: the wall clock). */
export interface CustomerClock {
  now: Date;
  testClockId: string | null;
}

/**
 * The customer's clock (DESIGN.md "Time"): every time billing reads for a customer — periods,
 * drafts, finalization, payment requests, failures — is the frozen_time of the customer's test
 * clock, read from the database in the caller's transaction, or the platform Clock for a customer
 * without one. Never a per-process clock: every replica reads the same row, and the advance saga
 * moves it.
 *
 * A deleted clock keeps its last frozen_time: its customers stay at that instant (their
 * subscriptions were canceled with the clock), which is what their invoices already say.
 */
@Injectable()
export class CustomerTime {
  constructor(private readonly clock: Clock) {}

  /** The customer's time now. Throws for an unknown customer: callers have loaded it already. */
  async nowFor(tx: Queryable, customerId: string): Promise<Date> {
    return (await this.clockOf(tx, customerId)).now;
  }

  /** The customer's time and its clock's id (events of a customer on a test clock carry both). */
  async clockOf(tx: Queryable, customerId: string): Promise<CustomerClock> {
    const rows = (await tx.query(
      `SELECT c.test_clock_id, t.frozen_time
         FROM customers c LEFT JOIN test_clocks t ON t.id = c.test_clock_id
        WHERE c.id = $1`,
      [customerId],
    )) as { test_clock_id: string | null; frozen_time: Date | null }[];
    if (rows.length === 0) throw new Error(`customer ${customerId} does not exist: no time to read for it`);
    return this.resolve(rows[0].test_clock_id, rows[0].frozen_time);
  }

  /** A clock's time: its frozen_time, or the platform Clock's now for `null` (the wall clock). */
  async nowForClock(tx: Queryable, clockId: string | null): Promise<Date> {
    if (clockId === null) return this.clock.now();
    const rows = (await tx.query(`SELECT frozen_time FROM test_clocks WHERE id = $1`, [clockId])) as {
      frozen_time: Date;
    }[];
    if (rows.length === 0) throw new Error(`test clock ${clockId} does not exist: no time to read from it`);
    return new Date(rows[0].frozen_time);
  }

  private resolve(testClockId: string | null, frozenTime: Date | null): CustomerClock {
    if (testClockId === null) return { now: this.clock.now(), testClockId: null };
    if (frozenTime === null) throw new Error(`test clock ${testClockId} has no frozen_time`);
    return { now: new Date(frozenTime), testClockId };
  }
}
