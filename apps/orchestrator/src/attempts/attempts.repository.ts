import { Injectable } from '@nestjs/common';
import type { Tx } from '@payflow/platform/database';
import type { Attempt, NewAttempt } from './attempt';
import { attemptIdFor, idempotencyKeyFor } from './attempt-ids';
import { rowsOf } from './query-rows';

/** Channel the worker LISTENs on: a new or rescheduled attempt wakes it at commit. */
export const ATTEMPTS_DUE_CHANNEL = 'orchestrator_attempts_due';

type Row = Record<string, unknown>;

const toNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/** pg returns bigint as text; every amount here is far below 2^53. */
export function attemptFromRow(row: Row): Attempt {
  return {
    ...(row as unknown as Attempt),
    amount: Number(row['amount']),
    amount_captured: toNumber(row['amount_captured']),
    currency: String(row['currency']).trim(),
  };
}

/** Columns a transition may change (the rest is fixed when the attempt is recorded). */
export type AttemptChanges = Partial<
  Pick<
    Attempt,
    | 'status'
    | 'provider'
    | 'psp_reference'
    | 'operation_psp_reference'
    | 'maybe_executed'
    | 'amount'
    | 'amount_captured'
    | 'error_class'
    | 'code'
    | 'decline_code'
    | 'message'
    | 'network'
    | 'advice_code'
    | 'first_called_at'
    | 'resolution'
    | 'reconcile_tries'
    | 'overdue_since'
    | 'reversed_at'
    | 'verify_at'
    | 'next_attempt_at'
    | 'lease_id'
    | 'awaiting_notification_since'
    | 'unknown_since'
    | 'settled_at'
  >
>;

const CHANGEABLE: readonly (keyof AttemptChanges)[] = [
  'status',
  'provider',
  'psp_reference',
  'operation_psp_reference',
  'maybe_executed',
  'amount',
  'amount_captured',
  'error_class',
  'code',
  'decline_code',
  'message',
  'network',
  'advice_code',
  'first_called_at',
  'resolution',
  'reconcile_tries',
  'overdue_since',
  'reversed_at',
  'verify_at',
  'next_attempt_at',
  'lease_id',
  'awaiting_notification_since',
  'unknown_since',
  'settled_at',
];

/** A claimed attempt, and whether this claim found the previous one lapsed (see `claimDue`). */
export interface Claim {
  attempt: Attempt;
  lapsed: boolean;
}

/** All SQL on `attempts`. Every write runs in the caller's transaction. */
@Injectable()
export class AttemptsRepository {
  /**
   * Records an attempt; the same (request, route index) twice is a no-op returning null, so a
   * redelivered request never makes a second attempt (nor a second idempotency key).
   */
  async insert(
    tx: Tx,
    attempt: NewAttempt &
      Partial<Pick<Attempt, 'status' | 'code' | 'message' | 'error_class' | 'settled_at'>>,
    now: Date,
  ): Promise<Attempt | null> {
    const id = attemptIdFor(attempt.request_ref, attempt.route_index);
    const status = attempt.status ?? 'pending';
    const rows: Row[] = await tx.query(
      `INSERT INTO attempts (id, intent_id, merchant_id, operation, request_ref, route_index, provider, route, routing_reason,
                             idempotency_key, amount, currency, payment_method, capture_method, refund_id, reason, psp_reference,
                             status, compensating, error_class, code, message, next_attempt_at, request_event_id, correlation_id,
                             created_at, updated_at, settled_at, compensates_attempt_id, compensation, off_session)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $26, $27, $28, $29, $30)
       ON CONFLICT (request_ref, route_index) DO NOTHING
       RETURNING *`,
      [
        id,
        attempt.intent_id,
        attempt.merchant_id,
        attempt.operation,
        attempt.request_ref,
        attempt.route_index,
        attempt.provider,
        attempt.route,
        attempt.routing_reason,
        idempotencyKeyFor(id, attempt.operation),
        attempt.amount,
        attempt.currency,
        attempt.payment_method,
        attempt.capture_method,
        attempt.refund_id,
        attempt.reason,
        attempt.psp_reference,
        status,
        attempt.compensating,
        attempt.error_class ?? null,
        attempt.code ?? null,
        attempt.message ?? null,
        status === 'pending' ? now : null,
        attempt.request_event_id,
        attempt.correlation_id,
        now,
        attempt.settled_at ?? null,
        attempt.compensates_attempt_id ?? null,
        attempt.compensation ?? null,
        attempt.off_session ?? false,
      ],
    );
    if (rows.length === 0) return null;
    if (status === 'pending') await this.wakeWorkers(tx);
    return attemptFromRow(rows[0]);
  }

  /** Delivered at commit: the worker then claims what became due without waiting for its poll. */
  async wakeWorkers(tx: Tx): Promise<void> {
    await tx.query(`SELECT pg_notify($1, '')`, [ATTEMPTS_DUE_CHANNEL]);
  }

  /**
   * Claims up to `limit` due attempts for one worker: `FOR UPDATE SKIP LOCKED`, so concurrent
   * workers (and replicas) never take the same row. Each claimed row gets the lease and a
   * `next_attempt_at` at the lease's end, so a worker that dies mid-call leaves the attempt to be
   * claimed again (and replayed under its key) once the lease runs out.
   *
   * Every recorded outcome clears the lease, so a lease still set at claim time means the previous
   * claim never recorded one — its worker died, its second transaction failed, or its call outlived
   * the lease. Its call may have run: the claim marks the attempt `maybe_executed` (never to fail
   * over again) and counts the lapse in `lapsed_claims`.
   */
  async claimDue(tx: Tx, now: Date, limit: number, leaseId: string, leaseMs: number): Promise<Claim[]> {
    const rows = rowsOf<Row>(
      await tx.query(
        `WITH due AS (
         SELECT id, lease_id IS NOT NULL AS lapsed FROM attempts
          WHERE next_attempt_at <= $1 AND status IN ('pending', 'unknown')
          ORDER BY next_attempt_at
          LIMIT $2
          FOR UPDATE SKIP LOCKED)
       UPDATE attempts a
          SET lease_id = $3, next_attempt_at = $1::timestamptz + make_interval(secs => $4::float8 / 1000),
              try_no = a.try_no + 1, updated_at = $1,
              maybe_executed = a.maybe_executed OR due.lapsed,
              lapsed_claims = a.lapsed_claims + due.lapsed::int
         FROM due WHERE a.id = due.id
       RETURNING a.*, due.lapsed`,
        [now, limit, leaseId, leaseMs],
      ),
    );
    return rows.map(({ lapsed, ...columns }) => ({
      attempt: attemptFromRow(columns),
      lapsed: lapsed === true,
    }));
  }

  /**
   * Claims up to `limit` succeeded refunds due to be read again (`verify_at`), `FOR UPDATE SKIP
   * LOCKED`; each gets `verify_at` pushed to the lease's end, so a worker that dies mid-read leaves it
   * to be claimed again then.
   */
  async claimVerifications(tx: Tx, now: Date, limit: number, leaseMs: number): Promise<Attempt[]> {
    const rows = rowsOf<Row>(
      await tx.query(
        `WITH due AS (
           SELECT id FROM attempts WHERE verify_at <= $1 ORDER BY verify_at LIMIT $2 FOR UPDATE SKIP LOCKED)
         UPDATE attempts a SET verify_at = $1::timestamptz + make_interval(secs => $3::float8 / 1000)
           FROM due WHERE a.id = due.id
         RETURNING a.*`,
        [now, limit, leaseMs],
      ),
    );
    return rows.map(attemptFromRow);
  }

  /** Every attempt of an intent, oldest first, locked (a fixed order: no deadlock between writers). */
  async lockForIntent(tx: Tx, intentId: string): Promise<Attempt[]> {
    const rows: Row[] = await tx.query(
      `SELECT * FROM attempts WHERE intent_id = $1 ORDER BY created_at, id FOR UPDATE`,
      [intentId],
    );
    return rows.map(attemptFromRow);
  }

  /** The intents whose attempts carry a PSP reference (for notifications that name no intent). */
  async intentIdsByReference(tx: Tx, pspReference: string): Promise<string[]> {
    const rows: { intent_id: string }[] = await tx.query(
      `SELECT DISTINCT intent_id FROM attempts WHERE psp_reference = $1 OR operation_psp_reference = $1`,
      [pspReference],
    );
    return rows.map((row) => row.intent_id);
  }

  /** The intent of an attempt (notifications that name the attempt but no intent: Adyen's signed merchantReference). */
  async intentOfAttempt(tx: Tx, attemptId: string): Promise<string | null> {
    const rows: { intent_id: string }[] = await tx.query(`SELECT intent_id FROM attempts WHERE id = $1`, [
      attemptId,
    ]);
    return rows[0]?.intent_id ?? null;
  }

  /** Attempts awaiting a notification past their deadline, per provider and operation (the overdue gauge). */
  async overdueCounts(tx: Tx): Promise<{ provider: string; operation: string; count: number }[]> {
    const rows: { provider: string; operation: string; count: string }[] = await tx.query(
      `SELECT provider, operation, count(*) AS count FROM attempts
        WHERE overdue_since IS NOT NULL AND status IN ('pending', 'unknown') GROUP BY provider, operation`,
    );
    return rows.map((row) => ({
      provider: row.provider,
      operation: row.operation,
      count: Number(row.count),
    }));
  }

  /** The authorization that captures, refunds and cancels of an intent must follow. */
  async authorizationOf(tx: Tx, intentId: string): Promise<Attempt | null> {
    const rows: Row[] = await tx.query(
      `SELECT * FROM attempts
        WHERE intent_id = $1 AND operation = 'authorize' AND status = 'succeeded' AND NOT compensating
        ORDER BY settled_at DESC, id DESC LIMIT 1`,
      [intentId],
    );
    return rows.length ? attemptFromRow(rows[0]) : null;
  }

  /** The providers already tried for a request (failover never returns to one). */
  async providersTried(tx: Tx, requestRef: string): Promise<string[]> {
    const rows: { provider: string }[] = await tx.query(
      `SELECT provider FROM attempts WHERE request_ref = $1 AND provider IS NOT NULL`,
      [requestRef],
    );
    return rows.map((row) => row.provider);
  }

  async update(tx: Tx, attempt: Attempt, changes: AttemptChanges, now: Date): Promise<Attempt> {
    const keys = CHANGEABLE.filter((key) => key in changes);
    const sets = keys.map((key, index) => `${key} = $${index + 3}`);
    const rows = rowsOf<Row>(
      await tx.query(
        `UPDATE attempts SET ${[...sets, 'version = version + 1', 'updated_at = $2'].join(', ')}
        WHERE id = $1 RETURNING *`,
        [attempt.id, now, ...keys.map((key) => changes[key])],
      ),
    );
    if (changes.next_attempt_at && changes.next_attempt_at.getTime() <= now.getTime())
      await this.wakeWorkers(tx);
    return attemptFromRow(rows[0]);
  }
}
