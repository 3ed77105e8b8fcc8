import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import type { CaseSubject } from '../events/dunning-publisher';

/**
 * Retries dunning decided (`retries`, primary key (invoice, attempt)). A row is `scheduled` until
 * it is due, then `issued` exactly once: the move to `issued` is a conditional write that only one
 * transaction can make, and `dunning.retry_due` is written only by the transaction that made it.
 * A scheduled row may be moved or canceled; an issued one never changes again.
 */
@Injectable()
export class RetriesRepository {
  constructor(private readonly clock: Clock) {}

  /** Plans `attempt` at `dueAt` (moving a planned one), and drops any other planned attempt of the case. */
  async schedule(tx: Queryable, subject: CaseSubject, attempt: number, dueAt: Date, reason: string): Promise<void> {
    const now = this.clock.now();
    await tx.query(
      `UPDATE retries SET status = 'canceled', updated_at = $3 WHERE invoice_id = $1 AND status = 'scheduled' AND attempt <> $2`,
      [subject.invoice_id, attempt, now],
    );
    await tx.query(
      `INSERT INTO retries AS r (invoice_id, attempt, merchant_id, test_clock_id, due_at, reason, status, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'scheduled', $7, $7)
       ON CONFLICT (invoice_id, attempt) DO UPDATE
         SET due_at = EXCLUDED.due_at, reason = EXCLUDED.reason, status = 'scheduled', updated_at = EXCLUDED.updated_at
         WHERE r.status <> 'issued'`,
      [subject.invoice_id, attempt, subject.merchant_id, subject.test_clock_id, dueAt, reason, now],
    );
  }

  /**
   * Issues `attempt` now (planned or not): true only for the one transaction that moves it to
   * `issued`; false when it was issued already.
   */
  async markIssued(tx: Queryable, subject: CaseSubject, attempt: number, issuedAt: Date, reason: string): Promise<boolean> {
    const now = this.clock.now();
    const rows = rowsOf(
      await tx.query(
        `INSERT INTO retries AS r (invoice_id, attempt, merchant_id, test_clock_id, due_at, reason, status, issued_at,
                                   created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'issued', $5, $7, $7)
         ON CONFLICT (invoice_id, attempt) DO UPDATE
           SET status = 'issued', issued_at = EXCLUDED.issued_at, reason = EXCLUDED.reason, updated_at = EXCLUDED.updated_at
           WHERE r.status <> 'issued'
         RETURNING attempt`,
        [subject.invoice_id, attempt, subject.merchant_id, subject.test_clock_id, issuedAt, reason, now],
      ),
    );
    return rows.length > 0;
  }

  /** Drops the case's planned retries (paid, void, exhausted, waiting for a card). */
  async cancelScheduled(tx: Queryable, invoiceId: string): Promise<number> {
    const rows = rowsOf(
      await tx.query(
        `UPDATE retries SET status = 'canceled', updated_at = $2 WHERE invoice_id = $1 AND status = 'scheduled' RETURNING attempt`,
        [invoiceId, this.clock.now()],
      ),
    );
    return rows.length;
  }

  /** Whether `attempt` was issued: billing is trying it (its outcome will be decided when it comes). */
  async isIssued(tx: Queryable, invoiceId: string, attempt: number): Promise<boolean> {
    const rows = rowsOf(
      await tx.query(`SELECT 1 FROM retries WHERE invoice_id = $1 AND attempt = $2 AND status = 'issued'`, [invoiceId, attempt]),
    );
    return rows.length > 0;
  }
}
