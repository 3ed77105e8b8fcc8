import {
  HttpStatus,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { Tx, inTransaction, sqlState } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { Queryable } from '../http/queryable';
import { WebhooksConfig } from '../webhooks.config';
import type { IdempotencyScope } from './idempotency-scope';

const UNIQUE_VIOLATION = '23505';
const PRUNE_INTERVAL_MS = 15 * 60_000;

/** A status and body as answered, stored whole for replays. */
export interface ApiAnswer<T = unknown> {
  statusCode: number;
  body: T;
  replayed?: boolean;
}

const keyInFlight = () =>
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
 * Durable Idempotency-Key results of the service's creating POST (endpoint creation), written in
 * the transaction that creates: with the gateway's Redis flushed, a retried creation still makes
 * one endpoint, not two that would each receive every event. Same scheme as intents.
 */
@Injectable()
export class IdempotencyRecords implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyRecords.name);
  private readonly retentionMs: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    config: WebhooksConfig,
  ) {
    this.retentionMs = config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000;
  }

  /** The stored answer for this scope, read without locking (a fast replay before any other work). */
  async find(db: Queryable, scope: IdempotencyScope): Promise<ApiAnswer | null> {
    const [record] = (await db.query(
      `SELECT fingerprint, status_code, response, created_at FROM idempotency_records WHERE merchant_id = $1 AND key = $2`,
      [scope.merchantId, scope.key],
    )) as { fingerprint: string; status_code: number; response: unknown; created_at: Date }[];
    if (!record || new Date(record.created_at).getTime() < this.clock.nowMs() - this.retentionMs) return null;
    if (record.fingerprint !== scope.fingerprint) throw keyReused();
    return { statusCode: record.status_code, body: record.response, replayed: true };
  }

  /**
   * Runs `work` and stores its answer in one transaction, or replays the stored answer. A second
   * request with the key while the first is open gets 409 at once (a tried advisory lock).
   */
  async run<T>(
    scope: IdempotencyScope | null,
    work: (tx: Tx) => Promise<ApiAnswer<T>>,
  ): Promise<ApiAnswer<T>> {
    if (!scope) return inTransaction(this.dataSource, work);
    try {
      return await inTransaction(this.dataSource, async (tx) => {
        const [{ locked }] = (await tx.query(
          `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
          [`webhooks.idempotency:${scope.merchantId}:${scope.key}`],
        )) as { locked: boolean }[];
        if (!locked) throw keyInFlight();
        const stored = await this.find(tx, scope);
        if (stored) return stored as ApiAnswer<T>;
        await tx.query(`DELETE FROM idempotency_records WHERE merchant_id = $1 AND key = $2`, [
          scope.merchantId,
          scope.key,
        ]);
        const answer = await work(tx);
        await tx.query(
          `INSERT INTO idempotency_records (merchant_id, key, fingerprint, status_code, response, created_at)
           VALUES ($1, $2, $3, $4, $5::jsonb, $6)`,
          [
            scope.merchantId,
            scope.key,
            scope.fingerprint,
            answer.statusCode,
            JSON.stringify(answer.body),
            this.clock.now(),
          ],
        );
        return answer;
      });
    } catch (error) {
      // Two first requests raced past each other: the later insert loses, and that is a 409.
      if (sqlState(error) === UNIQUE_VIOLATION) throw keyInFlight();
      throw error;
    }
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((error) =>
        this.logger.warn(`idempotency pruning failed: ${(error as Error).message}`),
      );
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  async prune(): Promise<number> {
    const [, deleted] = (await this.dataSource.query(
      `DELETE FROM idempotency_records WHERE created_at < $1`,
      [new Date(this.clock.nowMs() - this.retentionMs)],
    )) as [unknown, number];
    return deleted;
  }
}
