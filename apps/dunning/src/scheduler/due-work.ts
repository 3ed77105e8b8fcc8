import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, inTransaction, rowsOf } from '@payflow/platform/database';
import { CaseDecisions } from '../cases/case-decisions';
import { type CaseRow, caseColumns } from '../cases/case.row';
import { schedulerFailuresTotal } from './scheduler-metrics';

/** A planned retry that is due, with its case (both locked by the claim). */
export interface DueRetry {
  case: CaseRow;
  attempt: number;
  reason: string;
  due_at: Date;
}

export interface PassSummary {
  retries: number;
  expired: number;
  failed: number;
}

/**
 * Due work of the wall clock (DESIGN.md "Time": one scheduler per service claiming due work with
 * `FOR UPDATE SKIP LOCKED`): planned retries whose time has come, and cases whose wait for a new
 * card is over. Each item is claimed together with its case and handled in its own transaction, so
 * two replicas never take the same one, and a case being closed by a payment (which holds its row)
 * is passed by; the retry's move to `issued` (RetriesRepository) makes a second `retry_due` for the
 * same (invoice, attempt) impossible anyway. Test clocks' work is the clock sync's.
 */
@Injectable()
export class DueWork {
  private readonly logger = new Logger(DueWork.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly decisions: CaseDecisions,
  ) {}

  /** Runs what is due now, at most `limit` items; stops between two items when `shouldStop` says so. */
  async runWallDue(limit = 100, shouldStop: () => boolean = () => false): Promise<PassSummary> {
    const summary: PassSummary = { retries: 0, expired: 0, failed: 0 };
    const skip: string[] = [];
    while (summary.retries + summary.expired + summary.failed < limit && !shouldStop()) {
      const done = await this.runOne(skip).catch((error: Error & { invoice?: string }) => {
        summary.failed += 1;
        schedulerFailuresTotal.inc();
        if (error.invoice) skip.push(error.invoice);
        this.logger.warn(`due work failed: ${error.message}`);
        // Without the invoice to pass by, the next claim would meet the same item: stop the pass.
        return error.invoice ? 'failed' : 'none';
      });
      if (done === 'none') break;
      if (done === 'retry') summary.retries += 1;
      if (done === 'expired') summary.expired += 1;
    }
    return summary;
  }

  private runOne(skip: string[]): Promise<'retry' | 'expired' | 'none' | 'failed'> {
    return inTransaction(this.dataSource, async (tx) => {
      const now = this.clock.now();
      const retry = await this.claimRetry(tx, now, skip);
      if (retry) {
        await this.withInvoice(retry.case.invoice_id, () =>
          this.decisions.issueDue(tx, retry.case, retry.attempt, retry.reason, now, {
            correlationId: `retry_${retry.case.invoice_id}_${retry.attempt}`,
            causationId: null,
          }),
        );
        return 'retry';
      }
      const waiting = await this.claimExpiredWait(tx, now, skip);
      if (waiting) {
        await this.withInvoice(waiting.invoice_id, () =>
          this.decisions.expireWait(tx, waiting, {
            now,
            cause: { correlationId: `wait_${waiting.invoice_id}`, causationId: null },
          }),
        );
        return 'expired';
      }
      return 'none';
    });
  }

  private async claimRetry(tx: Queryable, now: Date, skip: string[]): Promise<DueRetry | null> {
    const rows = rowsOf<CaseRow & { attempt: number; reason: string; due_at: Date }>(
      await tx.query(
        `SELECT ${caseColumns('c')}, r.attempt, r.reason, r.due_at
           FROM retries r JOIN cases c ON c.invoice_id = r.invoice_id
          WHERE r.status = 'scheduled' AND r.test_clock_id IS NULL AND r.due_at <= $1
            AND c.status = 'open' AND NOT (r.invoice_id = ANY($2::text[]))
          ORDER BY r.due_at, r.invoice_id
          LIMIT 1
          FOR UPDATE OF c, r SKIP LOCKED`,
        [now, skip],
      ),
    );
    const row = rows[0];
    if (!row) return null;
    const { attempt, reason, due_at, ...c } = row;
    return { case: c, attempt, reason, due_at };
  }

  private async claimExpiredWait(tx: Queryable, now: Date, skip: string[]): Promise<CaseRow | null> {
    const rows = rowsOf<CaseRow>(
      await tx.query(
        `SELECT ${caseColumns()} FROM cases
          WHERE status = 'open' AND test_clock_id IS NULL AND waiting_until <= $1
            AND NOT (invoice_id = ANY($2::text[]))
          ORDER BY waiting_until, invoice_id
          LIMIT 1
          FOR UPDATE SKIP LOCKED`,
        [now, skip],
      ),
    );
    return rows[0] ?? null;
  }

  /** Tags a failure with the invoice it was about, so the pass goes on past it. */
  private async withInvoice(invoice: string, work: () => Promise<unknown>): Promise<void> {
    try {
      await work();
    } catch (error) {
      throw Object.assign(error instanceof Error ? error : new Error(String(error)), { invoice });
    }
  }
}
