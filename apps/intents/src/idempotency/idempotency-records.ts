import { HttpStatus, Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { ApiError } from '@payflow/platform/http';
import { ApiResponse } from '../http/api-response';
import { IdempotencyScope } from '../http/request-meta';
import { Queryable, rowsOf } from '../payment-intents/queryable';
import { IntentsConfig } from '../intents.config';
import { intentIdempotencyTotal } from '../state-machine/intent-metrics';

export const keyInFlight = () =>
  new ApiError(
    HttpStatus.CONFLICT,
    'idempotency_error',
    'idempotency_key_in_use',
    'A request with this Idempotency-Key is still being processed; retry after it completes',
  );

const keyReused = () =>
  new ApiError(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'idempotency_error',
    'idempotency_key_reused',
    'This Idempotency-Key was already used with a different request',
  );

/**
 * Durable idempotency (DESIGN.md, "Idempotency"): `(merchant, key)` with the request's fingerprint
 * and the answer, written in the same transaction as the state change it answers, so a repeat
 * finds either nothing (the first never committed) or the answer of what did commit.
 */
@Injectable()
export class IdempotencyRecords {
  private readonly retentionMs: number;

  constructor(
    private readonly clock: Clock,
    config: IntentsConfig,
  ) {
    this.retentionMs = config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000;
  }

  /**
   * Claims the key for this transaction and returns the stored answer if there is one. A second
   * request with the key while the first's transaction is open gets `409` at once (a transaction
   * advisory lock, tried, never waited for); a stored answer to another request is a `422`.
   */
  async claim(tx: Queryable, scope: IdempotencyScope): Promise<ApiResponse | null> {
    const [{ locked }] = await tx.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
      [`intents.idempotency:${scope.merchantId}:${scope.key}`],
    );
    if (!locked) {
      intentIdempotencyTotal.inc({ outcome: 'in_flight' });
      throw keyInFlight();
    }
    const [record] = await tx.query(
      `SELECT fingerprint, status_code, response, created_at FROM idempotency_records WHERE merchant_id = $1 AND key = $2`,
      [scope.merchantId, scope.key],
    );
    if (!record) return null;
    if (new Date(record.created_at).getTime() < this.clock.nowMs() - this.retentionMs) {
      // Past its 24 h the key is free again, whatever the pruner has not deleted yet.
      await tx.query(`DELETE FROM idempotency_records WHERE merchant_id = $1 AND key = $2`, [
        scope.merchantId,
        scope.key,
      ]);
      return null;
    }
    if (record.fingerprint !== scope.fingerprint) {
      intentIdempotencyTotal.inc({ outcome: 'mismatch' });
      throw keyReused();
    }
    intentIdempotencyTotal.inc({ outcome: 'replayed' });
    return { statusCode: record.status_code, body: record.response, replayed: true };
  }

  async store(tx: Queryable, scope: IdempotencyScope, response: ApiResponse): Promise<void> {
    await tx.query(
      `INSERT INTO idempotency_records (merchant_id, key, fingerprint, status_code, response, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [
        scope.merchantId,
        scope.key,
        scope.fingerprint,
        response.statusCode,
        JSON.stringify(response.body),
        this.clock.now(),
      ],
    );
    intentIdempotencyTotal.inc({ outcome: 'stored' });
  }

  /**
   * Replaces the provisional answer (`202` written with the state change) by what the caller was
   * finally sent after the sync wait, so a replay repeats exactly that answer.
   */
  async finalize(db: Queryable, scope: IdempotencyScope, response: ApiResponse): Promise<void> {
    await db.query(
      `UPDATE idempotency_records SET status_code = $4, response = $5::jsonb
        WHERE merchant_id = $1 AND key = $2 AND fingerprint = $3`,
      [scope.merchantId, scope.key, scope.fingerprint, response.statusCode, JSON.stringify(response.body)],
    );
  }

  /** Deletes records older than the retention, a bounded chunk at a time; returns how many. */
  async prune(db: Queryable, chunk = 5_000): Promise<number> {
    const before = new Date(this.clock.nowMs() - this.retentionMs);
    let total = 0;
    for (;;) {
      const result = await db.query(
        `DELETE FROM idempotency_records WHERE (merchant_id, key) IN (
           SELECT merchant_id, key FROM idempotency_records WHERE created_at < $1 LIMIT ${chunk})`,
        [before],
      );
      const deleted =
        Array.isArray(result) && typeof result[1] === 'number' ? result[1] : rowsOf(result).length;
      total += deleted;
      if (deleted < chunk) return total;
    }
  }
}
