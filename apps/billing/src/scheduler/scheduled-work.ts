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

/**
 * Runs several due rows of one kind and one instant together in `tx`, all or nothing: the hot kinds
 * (renewals, finalizations) do per batch what their row handler does per row, in a few statements.
 * It must have exactly the effects of the row handler run on each row in turn; when it throws, the
 * rows are run again one by one with the row handler, each in its own transaction.
 */
export type BatchWorkHandler = (tx: Tx, rows: ScheduledWorkRow[], now: Date) => Promise<void>;

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
 * Rows of a kind with a batch handler claimed and run in one transaction (one instant, one kind):
 * a commit, a claim and a handful of statements per batch instead of per row. Large enough to
 * amortize them, small enough that a batch's locks (a merchant's number sequence during
 * finalization) are held for a fraction of a second.
 */
export const WORK_BATCH_SIZE = 100;
/**
 * Transactions one `runDue` / poller pass runs at once. Rows are claimed with SKIP LOCKED, so the
 * workers never take the same row; two leave the pool (DB_POOL_MAX, default 5) to the API, the
 * consumer and the clock saga, and overlap one batch's round trips with another's computation.
 */
export const WORK_CONCURRENCY = 2;

type Outcome = { done: number; failed: string[]; none?: boolean };

/**
 * Billing's scheduler (DESIGN.md "Time"): rows of `scheduled_work`, each claimed with `FOR UPDATE
 * SKIP LOCKED` and run in its transaction together with its `done_at` (alone, or in a batch of its
 * kind and instant when the kind has a batch handler), so replicas never run a row twice and a
 * crash leaves it open for the next claim. The wall-clock poller runs rows without
 * a test clock as the platform clock reaches them; a test clock's advance saga runs its clock's rows
 * with `runDue`. A failing handler is rolled back to a savepoint and the row records the failure
 * (attempts, last_error) and waits a growing, capped, wall-clock backoff (`not_before`) — never
 * dropped, and never blocking the rows behind it.
 */
@Injectable()
export class ScheduledWork {
  private readonly logger = new Logger(ScheduledWork.name);
  private readonly handlers = new Map<string, WorkHandler>();
  private readonly batchHandlers = new Map<string, BatchWorkHandler>();

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

  /** `schedule` for several rows in one statement (each idempotent the same way). */
  async scheduleMany(tx: Queryable, items: readonly WorkItem[]): Promise<void> {
    if (items.length === 0) return;
    await tx.query(
      `INSERT INTO scheduled_work (kind, subject_id, test_clock_id, due_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
       ON CONFLICT (kind, subject_id, due_at) DO NOTHING`,
      [
        items.map((i) => i.kind),
        items.map((i) => i.subject_id),
        items.map((i) => i.test_clock_id),
        items.map((i) => i.due_at),
      ],
    );
  }

  /** One handler per kind: a second registration is a wiring bug and fails the start-up. */
  register(kind: string, handler: WorkHandler): void {
    if (this.handlers.has(kind)) throw new Error(`scheduled work kind '${kind}' already has a handler`);
    this.handlers.set(kind, handler);
  }

  /**
   * The batch form of a kind's handler (the kind keeps its row handler, which runs a lone row and
   * the rows of a batch that failed). One per kind, like `register`.
   */
  registerBatch(kind: string, handler: BatchWorkHandler): void {
    if (this.batchHandlers.has(kind))
      throw new Error(`scheduled work kind '${kind}' already has a batch handler`);
    this.batchHandlers.set(kind, handler);
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

  /**
   * WORK_CONCURRENCY workers claim and run rows until none is left (each stops when it finds none:
   * rows another worker writes meanwhile are run by that worker's next claim), `limit` in all.
   */
  private async runRows(limit: number, shouldStop: () => boolean, filter: Filter): Promise<RunSummary> {
    const summary: RunSummary = { done: 0, failed: 0 };
    const failed: string[] = [];
    let claimed = 0;
    const worker = async (): Promise<void> => {
      while (claimed < limit && !shouldStop()) {
        const room = limit - claimed;
        const outcome = await this.runNext(filter, failed, room);
        if (outcome.none) return;
        claimed += outcome.done + outcome.failed.length;
        summary.done += outcome.done;
        summary.failed += outcome.failed.length;
        failed.push(...outcome.failed);
      }
    };
    await Promise.all(Array.from({ length: WORK_CONCURRENCY }, worker));
    return summary;
  }

  /**
   * Claims the oldest due row; when its kind has a batch handler, with it the other due rows of the
   * same kind and instant (up to WORK_BATCH_SIZE and `room`), and runs them together. A batch that
   * fails is rolled back whole and its rows are run one by one, each in its own transaction, so a
   * failing row is recorded as before and never holds the others back.
   */
  private async runNext(filter: Filter, skip: string[], room: number): Promise<Outcome> {
    const retry: ScheduledWorkRow[] = [];
    const outcome = await inTransaction(this.dataSource, async (tx): Promise<Outcome> => {
      const wallNow = this.clock.now();
      const [head] = await this.claim(tx, filter, wallNow, skip, 1);
      if (!head) return { done: 0, failed: [], none: true };
      const batch = this.batchHandlers.get(head.kind);
      if (!batch || room <= 1) return this.runClaimed(tx, head, filter, wallNow);
      const rows = [
        head,
        ...(await this.claim(tx, filter, wallNow, skip, Math.min(WORK_BATCH_SIZE, room) - 1, head)),
      ];
      if (rows.length === 1) return this.runClaimed(tx, head, filter, wallNow);
      await tx.query('SAVEPOINT scheduled_work_batch');
      try {
        await batch(tx, rows, filter.now(head));
        await tx.query(`UPDATE scheduled_work SET done_at = $2 WHERE id = ANY($1::bigint[])`, [
          rows.map((row) => row.id),
          wallNow,
        ]);
        scheduledWorkDoneTotal.inc({ kind: head.kind, clock: filter.clock }, rows.length);
        return { done: rows.length, failed: [] };
      } catch (error) {
        await tx.query('ROLLBACK TO SAVEPOINT scheduled_work_batch');
        this.logger.warn(
          `a batch of ${rows.length} ${head.kind} rows failed (${error instanceof Error ? error.message : String(error)}); running them one by one`,
        );
        retry.push(...rows);
        return { done: 0, failed: [] };
      }
    });
    for (const row of retry) {
      const single = await inTransaction(this.dataSource, async (tx): Promise<Outcome> => {
        const wallNow = this.clock.now();
        const [again] = await this.claim(tx, filter, wallNow, skip, 1, undefined, row.id);
        // Gone: another replica ran it meanwhile.
        return again ? this.runClaimed(tx, again, filter, wallNow) : { done: 0, failed: [] };
      });
      outcome.done += single.done;
      outcome.failed.push(...single.failed);
    }
    return outcome;
  }

  /**
   * Open, due rows of the filter not backing off and not in `skip`, locked with SKIP LOCKED, `limit`
   * of them, all at the EARLIEST open instant: rows of a later instant wait until every row of an
   * earlier one is done (or backing off), so concurrent workers keep the instants in order (a
   * renewal adds its lines to a draft before that draft's finalization an hour later runs). With
   * `like`, only rows of its kind and instant besides itself; with `id`, only that row.
   */
  private async claim(
    tx: Tx,
    filter: Filter,
    wallNow: Date,
    skip: string[],
    limit: number,
    like?: ScheduledWorkRow,
    id?: string,
  ): Promise<ScheduledWorkRow[]> {
    if (limit < 1) return [];
    const params: unknown[] = [wallNow, ...filter.params, skip, limit];
    const n = filter.params.length;
    const open = `done_at IS NULL AND ${filter.where}
            AND (not_before IS NULL OR not_before <= $1)
            AND NOT (id = ANY($${n + 2}::bigint[]))`;
    let which: string;
    if (like) {
      params.push(like.kind, like.id);
      which = `kind = $${n + 4} AND id <> $${n + 5}::bigint
            AND due_at = (SELECT due_at FROM scheduled_work WHERE id = $${n + 5}::bigint)`;
    } else if (id !== undefined) {
      params.push(id);
      which = `id = $${n + 4}::bigint`;
    } else {
      which = `due_at = (SELECT min(due_at) FROM scheduled_work WHERE ${open})`;
    }
    return rowsOf<ScheduledWorkRow>(
      await tx.query(
        `SELECT id::text AS id, kind, subject_id, test_clock_id, due_at, attempts
           FROM scheduled_work
          WHERE ${open}
            AND ${which}
          ORDER BY due_at, id
          LIMIT $${n + 3}
          FOR UPDATE SKIP LOCKED`,
        params,
      ),
    );
  }

  /** Runs one claimed row with its row handler in `tx`; a failure is rolled back and recorded on the row. */
  private async runClaimed(tx: Tx, row: ScheduledWorkRow, filter: Filter, wallNow: Date): Promise<Outcome> {
    const handler = this.handlers.get(row.kind);
    await tx.query('SAVEPOINT scheduled_work');
    try {
      if (!handler) throw new Error(`no handler registered for scheduled work kind '${row.kind}'`);
      await handler(tx, row, filter.now(row));
      await tx.query(`UPDATE scheduled_work SET done_at = $2 WHERE id = $1`, [row.id, wallNow]);
      scheduledWorkDoneTotal.inc({ kind: row.kind, clock: filter.clock });
      return { done: 1, failed: [] };
    } catch (error) {
      await tx.query('ROLLBACK TO SAVEPOINT scheduled_work');
      const attempts = row.attempts + 1;
      const message = error instanceof Error ? error.message : String(error);
      await tx.query(
        `UPDATE scheduled_work SET attempts = $2, last_error = $3, not_before = $4 WHERE id = $1`,
        [
          row.id,
          attempts,
          message.slice(0, MAX_ERROR_LENGTH),
          new Date(wallNow.getTime() + workRetryDelayMs(attempts)),
        ],
      );
      scheduledWorkFailedTotal.inc({ kind: row.kind });
      this.logger.warn(
        `scheduled work ${row.kind} ${row.subject_id} due ${new Date(row.due_at).toISOString()} failed (attempt ${attempts}): ${message}`,
      );
      return { done: 0, failed: [row.id] };
    }
  }
}
