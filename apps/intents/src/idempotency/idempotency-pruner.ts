import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { IdempotencyRecords } from './idempotency-records';

const PRUNE_INTERVAL_MS = 15 * 60_000;

/** Deletes idempotency records past their retention every 15 minutes (they are ignored before that). */
@Injectable()
export class IdempotencyPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(IdempotencyPruner.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly records: IdempotencyRecords,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.records
        .prune(this.dataSource)
        .catch((error) => this.logger.warn(`idempotency pruning failed: ${(error as Error).message}`));
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
