import { Injectable } from '@nestjs/common';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import { afterCursorSql, cursorParams, type PageCursor } from '../http/list-object';
import { TestClockRow, readTestClockRow } from './test-clock.row';

/** Channel the advance saga LISTENs on; an advance NOTIFYs it with the clock id at commit. */
export const TEST_CLOCK_ADVANCE_CHANNEL = 'billing_test_clock_advance';

/**
 * Wakes the advance saga of every replica when `tx` commits (the clock id as payload). Anyone who
 * unblocks a clock (an answer that clears `payment_pending`, dunning syncing it) may call it; the
 * saga also polls, so a lost notification only costs TEST_CLOCK_POLL_INTERVAL_MS.
 */
export async function wakeTestClockSaga(tx: Queryable, clockId: string): Promise<void> {
  await tx.query(`SELECT pg_notify($1, $2)`, [TEST_CLOCK_ADVANCE_CHANNEL, clockId]);
}

/** SQL of `test_clocks`; a deleted clock is invisible to everything but the customers' time. */
@Injectable()
export class TestClocksRepository {
  async insert(
    tx: Queryable,
    clock: { id: string; merchant_id: string; name: string | null; frozen_time: Date; created_at: Date },
  ): Promise<TestClockRow> {
    const rows = (await tx.query(
      `INSERT INTO test_clocks (id, merchant_id, name, frozen_time, status, created_at)
       VALUES ($1, $2, $3, $4, 'ready', $5)
       RETURNING *`,
      [clock.id, clock.merchant_id, clock.name, clock.frozen_time, clock.created_at],
    )) as Record<string, unknown>[];
    return readTestClockRow(rows[0]);
  }

  /** The merchant's clock (null: unknown, another merchant's, or deleted), locked when asked. */
  async find(
    db: Queryable,
    merchantId: string,
    id: string,
    lock: 'none' | 'update' = 'none',
  ): Promise<TestClockRow | null> {
    const rows = (await db.query(
      `SELECT * FROM test_clocks WHERE id = $1 AND merchant_id = $2 AND deleted_at IS NULL
       ${lock === 'update' ? 'FOR UPDATE' : ''}`,
      [id, merchantId],
    )) as Record<string, unknown>[];
    return rows[0] ? readTestClockRow(rows[0]) : null;
  }

  /** A newest-first page (`limit + 1` rows: the extra one says there is more). */
  async page(
    db: Queryable,
    merchantId: string,
    limit: number,
    after: PageCursor | null,
  ): Promise<TestClockRow[]> {
    const rows = (await db.query(
      `SELECT * FROM test_clocks
        WHERE merchant_id = $1 AND deleted_at IS NULL AND ${afterCursorSql(2)}
        ORDER BY created_at DESC, id DESC
        LIMIT $4`,
      [merchantId, ...cursorParams(after), limit + 1],
    )) as Record<string, unknown>[];
    return rows.map(readTestClockRow);
  }

  /** Starts an advance: `advancing` towards `target`, held at its instant from `now` (wall clock). */
  async startAdvance(tx: Queryable, id: string, target: Date, wallNow: Date): Promise<TestClockRow> {
    const rows = await tx.query(
      `UPDATE test_clocks SET status = 'advancing', target_time = $2, waiting_since = $3
        WHERE id = $1 RETURNING *`,
      [id, target, wallNow],
    );
    return readTestClockRow(rowsOf<Record<string, unknown>>(rows)[0]);
  }

  async markDeleted(tx: Queryable, id: string, wallNow: Date): Promise<void> {
    await tx.query(
      `UPDATE test_clocks SET deleted_at = $2, status = 'ready', target_time = NULL, waiting_since = NULL
        WHERE id = $1`,
      [id, wallNow],
    );
  }

  // ── the advance saga ───────────────────────────────────────────────────────────────────────

  /** Clocks to step (unlocked; each step claims its clock itself), longest held first. */
  async advancingIds(db: Queryable, limit: number): Promise<string[]> {
    const rows = (await db.query(
      `SELECT id FROM test_clocks WHERE status = 'advancing' AND deleted_at IS NULL
        ORDER BY waiting_since NULLS FIRST, id LIMIT $1`,
      [limit],
    )) as { id: string }[];
    return rows.map((row) => row.id);
  }

  /** Claims an advancing clock for one step; null when another replica holds it or it is not advancing. */
  async claimAdvancing(tx: Queryable, id: string): Promise<TestClockRow | null> {
    const rows = (await tx.query(
      `SELECT * FROM test_clocks WHERE id = $1 AND status = 'advancing' AND deleted_at IS NULL
        FOR UPDATE SKIP LOCKED`,
      [id],
    )) as Record<string, unknown>[];
    return rows[0] ? readTestClockRow(rows[0]) : null;
  }

  /** Whether the clock has open work due at or before `at` (failing rows backing off included). */
  async hasWorkDue(tx: Queryable, id: string, at: Date): Promise<boolean> {
    const rows = (await tx.query(
      `SELECT EXISTS (SELECT 1 FROM scheduled_work WHERE test_clock_id = $1 AND done_at IS NULL AND due_at <= $2) AS due`,
      [id, at],
    )) as { due: boolean }[];
    return rows[0].due;
  }

  /** The earliest open work of the clock after `after` and at most `upTo`. */
  async nextWorkDue(tx: Queryable, id: string, after: Date, upTo: Date): Promise<Date | null> {
    const rows = (await tx.query(
      `SELECT min(due_at) AS next FROM scheduled_work
        WHERE test_clock_id = $1 AND done_at IS NULL AND due_at > $2 AND due_at <= $3`,
      [id, after, upTo],
    )) as { next: Date | null }[];
    return rows[0].next ? new Date(rows[0].next) : null;
  }

  /** One step forward: the new instant, one more version, held there from `wallNow`. */
  async moveTo(tx: Queryable, id: string, to: Date, wallNow: Date): Promise<TestClockRow> {
    const rows = await tx.query(
      `UPDATE test_clocks SET frozen_time = $2, version = version + 1, waiting_since = $3
        WHERE id = $1 RETURNING *`,
      [id, to, wallNow],
    );
    return readTestClockRow(rowsOf<Record<string, unknown>>(rows)[0]);
  }

  async finish(tx: Queryable, id: string): Promise<void> {
    await tx.query(
      `UPDATE test_clocks SET status = 'ready', target_time = NULL, waiting_since = NULL WHERE id = $1`,
      [id],
    );
  }

  /** Advancing clocks held at their instant since before `before` (the waiting gauge). */
  async heldSince(
    db: Queryable,
    before: Date,
  ): Promise<{ id: string; frozen_time: Date; waiting_since: Date }[]> {
    return (await db.query(
      `SELECT id, frozen_time, waiting_since FROM test_clocks
        WHERE status = 'advancing' AND deleted_at IS NULL AND waiting_since < $1
        ORDER BY waiting_since LIMIT 1000`,
      [before],
    )) as { id: string; frozen_time: Date; waiting_since: Date }[];
  }
}
