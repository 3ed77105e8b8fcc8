import { FactoryProvider, Logger, OnApplicationBootstrap, OnApplicationShutdown, Type } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from './data-source';
import { affectedRowsOf } from './queryable';

export interface ChunkedPrunerOptions {
  /** What is pruned, for logs (e.g. "intents idempotency records"). */
  name: string;
  schema: string;
  table: string;
  /** The timestamp column compared with now − retention. */
  timeColumn: string;
  retentionMs: number;
  /** How often it runs; the first run is one interval after start. */
  intervalMs: number;
  /** Most rows deleted per transaction, so no run holds locks or bloats WAL in one go. */
  chunkSize?: number;
}

const DEFAULT_CHUNK = 5_000;

/**
 * Deletes rows past their retention, periodically, in chunks of one short transaction each, on
 * one replica at a time: each chunk first tries a transaction advisory lock named after the table
 * (never waits for it), and a replica that does not get it leaves the run to the one that has it.
 * A Nest provider (through a factory): it starts on bootstrap and stops on shutdown.
 */
export class ChunkedPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private readonly table: string;
  private readonly chunkSize: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly options: ChunkedPrunerOptions,
  ) {
    this.logger = new Logger(`ChunkedPruner ${options.name}`);
    this.table = `"${options.schema}"."${options.table}"`;
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((error: unknown) =>
        this.logger.warn(`pruning failed: ${error instanceof Error ? error.message : String(error)}`),
      );
    }, this.options.intervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Deletes what is past retention now (tests, operators); returns how many rows went. */
  async prune(): Promise<number> {
    const before = new Date(this.clock.nowMs() - this.options.retentionMs);
    let total = 0;
    for (;;) {
      const deleted = await this.pruneChunk(before);
      if (deleted === null) return total;
      total += deleted;
      if (deleted < this.chunkSize) return total;
    }
  }

  /** One chunk in its own transaction; null when another replica holds the pruning lock. */
  private pruneChunk(before: Date): Promise<number | null> {
    return inTransaction(this.dataSource, async (tx) => {
      const [{ locked }] = await tx.query(
        `SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS locked`,
        [`prune:${this.table}`],
      );
      if (!locked) return null;
      // ctid: works for any table whatever its key; the sub-select bounds the chunk.
      const result = await tx.query(
        `DELETE FROM ${this.table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${this.table} WHERE "${this.options.timeColumn}" < $1 LIMIT ${this.chunkSize}))`,
        [before],
      );
      return affectedRowsOf(result);
    });
  }
}

/** What a pruner deletes and how often; the retention comes from the service's configuration. */
export type ChunkedPrunerTarget = Omit<ChunkedPrunerOptions, 'retentionMs'>;

/**
 * A Nest provider of a `ChunkedPruner` over `target`, its retention read from the service's
 * configuration, under a token of its own (`ChunkedPruner:<schema>.<table>`).
 */
export function chunkedPrunerProvider<C>(
  target: ChunkedPrunerTarget,
  configType: Type<C>,
  retentionMsOf: (config: C) => number,
): FactoryProvider<ChunkedPruner> {
  return {
    provide: `ChunkedPruner:${target.schema}.${target.table}`,
    inject: [DataSource, Clock, configType],
    useFactory: (dataSource: DataSource, clock: Clock, config: C) =>
      new ChunkedPruner(dataSource, clock, { ...target, retentionMs: retentionMsOf(config) }),
  };
}
