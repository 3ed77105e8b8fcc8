import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { Queryable, Tx, inTransaction, rowsOf } from '@payflow/platform/database';
import { workRetryDelayMs } from './retry-delay';
import { scheduledWorkDoneTotal, scheduledWorkFailedTotal } from './scheduler-metrics';

/** Work due at an instant of a customer's clock (the wall clock when `test_clock_id` is null). */
export interface WorkItem {
  kind: string;
  subject_id: string;
  test_clock_id: string | null;
  due_at: Date;
}

export interface ScheduledWorkRow extends WorkItem {
  id: string;
  /** Failed runs so far (0 on the first run). */
  attempts: number;
}

/**
 * Runs one due row inside the claiming transaction `tx` (which also marks the row done), at `now`:
 * the customer's time of the run (the wall clock, or the test clock's frozen time). Idempotent.
 */
export type WorkHandler = (tx: Tx, row: ScheduledWorkRow, now: Date) => Promise<void>;

export interface RunSummary {
  done: number;
  failed: number;
}

interface Filter {
  /** SQL condition on `scheduled_work` besides "open and not backing off"; `$1` is the wall now. */
  where: string;
  params: unknown[];
  /** The customer's time handed to handlers. */
  now: (row: ScheduledWorkRow) => Date;
  clock: 'wall' | 'test_clock';
}

const MAX_ERROR_LENGTH = 2_000;

/**
 * Billing's scheduler (DESIGN.md "Time"): rows of `scheduled_work`, each claimed with `FOR UPDATE
 * SKIP LOCKED` and run in its own transaction together with its `done_at`, so replicas never run a
 * row twice and a crash leaves it open for the next claim. The wall-clock poller runs rows without
 * a test clock as the platform clock reaches them; a test clock's advance saga runs its clock's rows
 * with `runDue`. A failing handler is rolled back to a savepoint and the row records the failure
 * (attempts, last_error) and waits a growing, capped, wall-clock backoff (`not_before`) — never
 * dropped, and never blocking the rows behind it.
 */
@Injectable()
export class ScheduledWork {
  private readonly logger = new Logger(ScheduledWork.name);
  private readonly handlers = new Map<string, WorkHandler>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Adds the row unless the same (kind, subject, instant) is already scheduled: idempotent. */
  async schedule(tx: Queryable, item: WorkItem): Promise<void> {
    await tx.query(
      `INSERT INTO scheduled_work (kind, subject_id, test_clock_id, due_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (kind, subject_id, due_at) DO NOTHING`,
      [item.kind, item.subject_id, item.test_clock_id, item.due_at],
    );
  }

  /** One handler per kind: a second registration is a wiring bug and fails the start-up. */
  register(kind: string, handler: WorkHandler): void {
    if (this.handlers.has(kind)) throw new Error(`scheduled work kind '${kind}' already has a handler`);
    this.handlers.set(kind, handler);
  }

  /**
   * Runs the wall clock's due rows (at most `limit`), oldest first; the poller calls it, and stops
   * it between two rows with `shouldStop` on shutdown.
   */
  runWallDue(limit = 100, shouldStop: () => boolean = () => false): Promise<RunSummary> {
    const now = this.clock.now();
    return this.runRows(limit, shouldStop, {
      where: `test_clock_id IS NULL AND due_at <= $2`,
      params: [now],
      now: () => now,
      clock: 'wall',
    });
  }

  /**
   * Runs every open row of test clock `clockId` due at or before `upTo`, oldest first, each in its
   * own transaction, handlers seeing `upTo` as the time. Rows written while it runs and due by
   * `upTo` run too. A failed row is left open (backing off): the saga sees it still due.
   */
  runDue(clockId: string, upTo: Date, limit = 10_000): Promise<RunSummary> {
    return this.runRows(limit, () => false, {
      where: `test_clock_id = $2 AND due_at <= $3`,
      params: [clockId, upTo],
      now: () => upTo,
      clock: 'test_clock',
    });
  }

  private async runRows(limit: number, shouldStop: () => boolean, filter: Filter): Promise<RunSummary> {
    const summary: RunSummary = { done: 0, failed: 0 };
    const failed: string[] = [];
    while (summary.done + summary.failed < limit && !shouldStop()) {
      const outcome = await this.runOne(filter, failed);
      if (outcome === 'none') break;
      if (outcome === 'done') summary.done++;
      else {
        summary.failed++;
        failed.push(outcome.failed);
      }
    }
    return summary;
  }

  private runOne(filter: Filter, skip: string[]): Promise<'none' | 'done' | { failed: string }> {
    return inTransaction(this.dataSource, async (tx) => {
      const wallNow = this.clock.now();
      const [row] = rowsOf<ScheduledWorkRow>(
        await tx.query(
          `SELECT id::text AS id, kind, subject_id, test_clock_id, due_at, attempts
             FROM scheduled_work
            WHERE done_at IS NULL AND ${filter.where}
              AND (not_before IS NULL OR not_before <= $1)
              AND NOT (id = ANY($${filter.params.length + 2}::bigint[]))
            ORDER BY due_at, id
            LIMIT 1
            FOR UPDATE SKIP LOCKED`,
          [wallNow, ...filter.params, skip],
        ),
      );
      if (!row) return 'none';
      const handler = this.handlers.get(row.kind);
      await tx.query('SAVEPOINT scheduled_work');
      try {
        if (!handler) throw new Error(`no handler registered for scheduled work kind '${row.kind}'`);
        await handler(tx, row, filter.now(row));
        await tx.query(`UPDATE scheduled_work SET done_at = $2 WHERE id = $1`, [row.id, wallNow]);
        scheduledWorkDoneTotal.inc({ kind: row.kind, clock: filter.clock });
        return 'done';
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT scheduled_work');
        const attempts = row.attempts + 1;
        const message = error instanceof Error ? error.message : String(error);
        await tx.query(
          `UPDATE scheduled_work SET attempts = $2, last_error = $3, not_before = $4 WHERE id = $1`,
          [row.id, attempts, message.slice(0, MAX_ERROR_LENGTH), new Date(wallNow.getTime() + workRetryDelayMs(attempts))],
        );
        scheduledWorkFailedTotal.inc({ kind: row.kind });
        this.logger.warn(
          `scheduled work ${row.kind} ${row.subject_id} due ${new Date(row.due_at).toISOString()} failed (attempt ${attempts}): ${message}`,
        );
        return { failed: row.id };
      }
    });
  }
}
