import { Injectable } from '@nestjs/common';
import type { Classification } from '@payflow/declines';
import type { DeclineClass, PaymentAttemptDecision, PaymentAttemptObject } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import { toSeconds } from '../budgets/card-authorizations';
import type { FailedAttempt } from '../decisions';

/** A failed attempt as billing reported it, with its classification. */
export interface FailedAttemptRecord {
  invoice_id: string;
  merchant_id: string;
  attempt: number;
  payment_intent: string | null;
  payment_method: string | null;
  code: string;
  decline_code: string | null;
  network: string | null;
  advice_code: string | null;
  classification: Classification;
  decline_table_version: string;
  /** On the customer's clock. */
  at: Date;
}

interface AttemptRow {
  attempt: number;
  payment_intent: string | null;
  payment_method: string | null;
  status: 'failed' | 'succeeded';
  code: string | null;
  decline_code: string | null;
  network: string | null;
  advice_code: string | null;
  classification: DeclineClass | null;
  classification_reason: string | null;
  min_delay_s: number | null;
  needs_new_payment_method: boolean | null;
  decision: PaymentAttemptDecision | null;
  reason: string | null;
  at: Date;
}

/**
 * Every attempt of an invoice (`attempts`, one row per (invoice, attempt)): the decline, its
 * classification and the decision after it — what `GET /v1/invoices/{id}/payment_attempts` shows.
 * A row is written once; a repeated report of the same attempt writes nothing.
 */
@Injectable()
export class AttemptsRepository {
  constructor(private readonly clock: Clock) {}

  /** Records a failed attempt; false when this attempt was already recorded (a replay). */
  async recordFailure(tx: Queryable, failure: FailedAttemptRecord): Promise<boolean> {
    const { classification } = failure;
    const rows = rowsOf(
      await tx.query(
        `INSERT INTO attempts (invoice_id, attempt, merchant_id, payment_intent, payment_method, status, code, decline_code,
                               network, advice_code, classification, classification_reason, min_delay_s,
                               needs_new_payment_method, decline_table_version, at, recorded_at)
         VALUES ($1, $2, $3, $4, $5, 'failed', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
         ON CONFLICT (invoice_id, attempt) DO NOTHING
         RETURNING attempt`,
        [
          failure.invoice_id,
          failure.attempt,
          failure.merchant_id,
          failure.payment_intent,
          failure.payment_method,
          failure.code,
          failure.decline_code,
          failure.network,
          failure.advice_code,
          classification.class,
          classification.reason,
          classification.min_delay_s,
          classification.needs_new_payment_method,
          failure.decline_table_version,
          failure.at,
          this.clock.now(),
        ],
      ),
    );
    return rows.length > 0;
  }

  /** Records the attempt that paid the invoice (decision `paid`), unless that attempt is recorded. */
  async recordSuccess(
    tx: Queryable,
    success: { invoice_id: string; merchant_id: string; attempt: number; payment_intent: string | null; at: Date },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO attempts (invoice_id, attempt, merchant_id, payment_intent, status, decision, reason, at, recorded_at)
       VALUES ($1, $2, $3, $4, 'succeeded', 'paid', 'invoice_paid', $5, $6)
       ON CONFLICT (invoice_id, attempt) DO NOTHING`,
      [success.invoice_id, success.attempt, success.merchant_id, success.payment_intent, success.at, this.clock.now()],
    );
  }

  /** What was decided after an attempt (the latest plan for it: a new card or an expiry replaces it). */
  async decide(
    tx: Queryable,
    invoiceId: string,
    attempt: number,
    decision: PaymentAttemptDecision | null,
    reason: string,
    dueAt: Date | null,
  ): Promise<void> {
    await tx.query(
      `UPDATE attempts SET decision = $3, reason = $4, due_at = $5 WHERE invoice_id = $1 AND attempt = $2 AND status = 'failed'`,
      [invoiceId, attempt, decision, reason, dueAt],
    );
  }

  /** The case's failed attempts in attempt order, as the pure decisions take them. */
  async failuresOf(tx: Queryable, invoiceId: string): Promise<FailedAttempt[]> {
    const rows = rowsOf<AttemptRow>(
      await tx.query(
        `SELECT attempt, payment_method, network, classification, classification_reason, min_delay_s, needs_new_payment_method, at
           FROM attempts
          WHERE invoice_id = $1 AND status = 'failed' AND classification IS NOT NULL
          ORDER BY attempt`,
        [invoiceId],
      ),
    );
    return rows.map((row) => ({
      attempt: row.attempt,
      at: toSeconds(row.at),
      payment_method: row.payment_method,
      network: row.network,
      classification: {
        class: row.classification as DeclineClass,
        reason: row.classification_reason ?? 'unknown',
        min_delay_s: row.min_delay_s ?? 0,
        needs_new_payment_method: row.needs_new_payment_method ?? false,
      },
    }));
  }

  /** The invoice's attempts as the API shows them, in attempt order. */
  async listOf(db: Queryable, invoiceId: string): Promise<PaymentAttemptObject[]> {
    const rows = rowsOf<AttemptRow>(
      await db.query(
        `SELECT attempt, payment_intent, status, code, decline_code, network, advice_code, decision, reason, at
           FROM attempts WHERE invoice_id = $1 ORDER BY attempt`,
        [invoiceId],
      ),
    );
    return rows.map((row) => ({
      attempt: row.attempt,
      payment_intent: row.payment_intent,
      status: row.status,
      code: row.code,
      decline_code: row.decline_code,
      network: row.network,
      advice_code: row.advice_code,
      decision: row.decision,
      reason: row.reason,
      at: new Date(row.at).toISOString(),
    }));
  }
}
