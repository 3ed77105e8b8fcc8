import { HttpStatus } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { Clock } from '@payflow/platform/clock';
import { Queryable, Tx, inTransaction, sqlState } from '@payflow/platform/database';
import { ApiError } from './api-error';
import type { IdempotencyScope } from './internal-request';

const UNIQUE_VIOLATION = '23505';

/** A status and body as a service answered them, stored whole for idempotent replays. */
export interface ApiAnswer<T = unknown> {
  statusCode: number;
  body: T;
  /** True when this is the stored answer to an earlier request with the same Idempotency-Key. */
  replayed?: boolean;
}

export type IdempotencyOutcome = 'in_flight' | 'mismatch' | 'replayed' | 'stored';

export const idempotencyKeyInFlight = () =>
  new ApiError(
    HttpStatus.CONFLICT,
    'idempotency_error',
    'idempotency_key_in_use',
    'A request with this Idempotency-Key is still being processed; retry after it completes',
  );

export const idempotencyKeyReused = () =>
  new ApiError(
    HttpStatus.UNPROCESSABLE_ENTITY,
    'idempotency_error',
    'idempotency_key_reused',
    'This Idempotency-Key was already used with a different request',
  );

export interface IdempotencyRecordStoreOptions {
  /** The service's schema; its table has the columns of `idempotency_records` in its migrations. */
  schema: string;
  table?: string;
  /** How long a key answers replays (API.md: 24 h); past it the key is free again. */
  retentionMs: number;
  clock: Clock;
  /** Counts what happened to each request with a key (metrics). */
  onOutcome?: (outcome: IdempotencyOutcome) => void;
}

interface StoredRow {
  fingerprint: string;
  status_code: number;
  response: unknown;
  created_at: Date;
}

/**
 * Durable idempotency (DESIGN.md, "Idempotency"): `(merchant, key)` with the request's fingerprint
 * and the answer, written in the same transaction as the state change it answers, so a repeat
 * finds either nothing (the first never committed) or the answer of what did commit. Each service
 * keeps its own table in its own schema; rows past retention are removed by a `ChunkedPruner`.
 */
export class IdempotencyRecordStore {
  private readonly table: string;

  constructor(private readonly options: IdempotencyRecordStoreOptions) {
    this.table = `"${options.schema}"."${options.table ?? 'idempotency_records'}"`;
  }

  /** The stored answer for this scope, read without locking (a fast replay before any other work). */
  async find(db: Queryable, scope: IdempotencyScope): Promise<ApiAnswer | null> {
    const record = await this.read(db, scope);
    return record && !this.expired(record) ? this.replay(record, scope) : null;
  }

  /**
   * Claims the key for this transaction and returns the stored answer if there is one. A second
   * request with the key while the first's transaction is open gets `409` at once (a transaction
   * advisory lock, tried, never waited for); a stored answer to another request is a `422`.
   */
  async claim(tx: Queryable, scope: IdempotencyScope): Promise<ApiAnswer | null> {
    const [{ locked }] = (await tx.query(
      `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
      [`${this.options.schema}.idempotency:${scope.merchantId}:${scope.key}`],
    )) as { locked: boolean }[];
    if (!locked) {
      this.options.onOutcome?.('in_flight');
      throw idempotencyKeyInFlight();
    }
    const record = await this.read(tx, scope);
    if (!record) return null;
    if (this.expired(record)) {
      // Past its retention the key is free again, whatever the pruner has not deleted yet.
      await tx.query(`DELETE FROM ${this.table} WHERE merchant_id = $1 AND key = $2`, [
        scope.merchantId,
        scope.key,
      ]);
      return null;
    }
    return this.replay(record, scope);
  }

  async store(tx: Queryable, scope: IdempotencyScope, answer: ApiAnswer): Promise<void> {
    await tx.query(
      `INSERT INTO ${this.table} (merchant_id, key, fingerprint, status_code, response, created_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
      [
        scope.merchantId,
        scope.key,
        scope.fingerprint,
        answer.statusCode,
        JSON.stringify(answer.body),
        this.options.clock.now(),
      ],
    );
    this.options.onOutcome?.('stored');
  }

  /**
   * Replaces a provisional answer (e.g. a `202` written with the state change) by what the caller
   * was finally sent, so a replay repeats exactly that answer.
   */
  async finalize(db: Queryable, scope: IdempotencyScope, answer: ApiAnswer): Promise<void> {
    await db.query(
      `UPDATE ${this.table} SET status_code = $4, response = $5::jsonb
        WHERE merchant_id = $1 AND key = $2 AND fingerprint = $3`,
      [scope.merchantId, scope.key, scope.fingerprint, answer.statusCode, JSON.stringify(answer.body)],
    );
  }

  /**
   * Runs `work` and stores its answer in one READ COMMITTED transaction, or replays the stored
   * answer without running it. Without a scope (no Idempotency-Key) it is just the transaction.
   */
  async run<T>(
    dataSource: DataSource,
    scope: IdempotencyScope | null,
    work: (tx: Tx) => Promise<ApiAnswer<T>>,
  ): Promise<ApiAnswer<T>> {
    if (!scope) return inTransaction(dataSource, work);
    try {
      return await inTransaction(dataSource, async (tx) => {
        const stored = await this.claim(tx, scope);
        if (stored) return stored as ApiAnswer<T>;
        const answer = await work(tx);
        await this.store(tx, scope, answer);
        return answer;
      });
    } catch (error) {
      // Two first requests with one key both passed the lock only if one committed in between:
      // the later insert loses the race, and that is a 409, never a 5xx.
      if (sqlState(error) === UNIQUE_VIOLATION) throw idempotencyKeyInFlight();
      throw error;
    }
  }

  private async read(db: Queryable, scope: IdempotencyScope): Promise<StoredRow | undefined> {
    const rows = (await db.query(
      `SELECT fingerprint, status_code, response, created_at FROM ${this.table} WHERE merchant_id = $1 AND key = $2`,
      [scope.merchantId, scope.key],
    )) as StoredRow[];
    return rows[0];
  }

  private expired(record: StoredRow): boolean {
    return new Date(record.created_at).getTime() < this.options.clock.nowMs() - this.options.retentionMs;
  }

  private replay(record: StoredRow, scope: IdempotencyScope): ApiAnswer {
    if (record.fingerprint !== scope.fingerprint) {
      this.options.onOutcome?.('mismatch');
      throw idempotencyKeyReused();
    }
    this.options.onOutcome?.('replayed');
    return { statusCode: record.status_code, body: record.response, replayed: true };
  }
}
