import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import type { CaseSubject } from '../events/dunning-publisher';
import { type CaseRow, type CaseStatus, caseColumns } from './case.row';

/** What a failure did to its invoice's case. */
export interface CaseOnFailure {
  case: CaseRow;
  /** The case's latest failed attempt before this one (0 for a case this failure opened). */
  previous_attempt: number;
}

/**
 * The `cases` table: one per invoice, opened by its first dunned failure. Every writer locks the
 * case row before its retries (the scheduler claims both with SKIP LOCKED), so a payment closing a
 * case and a retry being issued never interleave.
 */
@Injectable()
export class CasesRepository {
  constructor(private readonly clock: Clock) {}

  async lock(tx: Queryable, invoiceId: string): Promise<CaseRow | null> {
    const rows = rowsOf<CaseRow>(
      await tx.query(`SELECT ${caseColumns()} FROM cases WHERE invoice_id = $1 FOR UPDATE`, [invoiceId]),
    );
    return rows[0] ?? null;
  }

  /**
   * The case of a failed attempt, locked: opened by it, or its last attempt moved forward. `reopen`
   * (the invoice was paid and the payment reversed) opens a closed case again from this failure.
   */
  async onFailure(tx: Queryable, subject: CaseSubject, attempt: number, failedAt: Date, reopen: boolean): Promise<CaseOnFailure> {
    const now = this.clock.now();
    const existing = await this.lock(tx, subject.invoice_id);
    if (!existing) {
      const rows = rowsOf<CaseRow>(
        await tx.query(
          `INSERT INTO cases (invoice_id, merchant_id, customer_id, subscription_id, test_clock_id, status,
                              first_failure_at, last_attempt, opened_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $8)
           RETURNING ${caseColumns()}`,
          [subject.invoice_id, subject.merchant_id, subject.customer_id, subject.subscription_id, subject.test_clock_id, failedAt, attempt, now],
        ),
      );
      return { case: rows[0], previous_attempt: 0 };
    }
    const reopening = reopen && existing.status === 'closed';
    const rows = rowsOf<CaseRow>(
      await tx.query(
        `UPDATE cases
            SET last_attempt = GREATEST(last_attempt, $2),
                status = CASE WHEN $3 THEN 'open' ELSE status END,
                first_failure_at = CASE WHEN $3 THEN $4 ELSE first_failure_at END,
                closed_reason = CASE WHEN $3 THEN NULL ELSE closed_reason END,
                updated_at = $5
          WHERE invoice_id = $1
          RETURNING ${caseColumns()}`,
        [subject.invoice_id, attempt, reopening, failedAt, now],
      ),
    );
    return { case: rows[0], previous_attempt: existing.last_attempt };
  }

  /** The customer's open cases, locked in a fixed order (a card change retries each). */
  async lockOpenOfCustomer(tx: Queryable, customerId: string): Promise<CaseRow[]> {
    return rowsOf<CaseRow>(
      await tx.query(
        `SELECT ${caseColumns()} FROM cases WHERE customer_id = $1 AND status = 'open' ORDER BY invoice_id FOR UPDATE`,
        [customerId],
      ),
    );
  }

  /** First failures of the subscription's open cases (the escalation's anchor is the earliest). */
  async openCaseStarts(tx: Queryable, subscriptionId: string): Promise<Date[]> {
    const rows = rowsOf<{ first_failure_at: Date }>(
      await tx.query(`SELECT first_failure_at FROM cases WHERE subscription_id = $1 AND status = 'open'`, [subscriptionId]),
    );
    return rows.map((row) => new Date(row.first_failure_at));
  }

  async setWaiting(tx: Queryable, invoiceId: string, until: Date | null): Promise<void> {
    await tx.query(`UPDATE cases SET waiting_until = $2, updated_at = $3 WHERE invoice_id = $1`, [invoiceId, until, this.clock.now()]);
  }

  /** Ends the case (`closed` by a payment or void, `exhausted` by the schedule). */
  async end(tx: Queryable, invoiceId: string, status: Exclude<CaseStatus, 'open'>, reason: string): Promise<void> {
    await tx.query(
      `UPDATE cases SET status = $2, closed_reason = $3, waiting_until = NULL, updated_at = $4 WHERE invoice_id = $1`,
      [invoiceId, status, reason, this.clock.now()],
    );
  }
}
