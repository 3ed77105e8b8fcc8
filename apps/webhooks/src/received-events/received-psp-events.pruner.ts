import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { WebhooksConfig } from '../webhooks.config';

const PRUNE_INTERVAL_MS = 60 * 60_000;
const PRUNE_CHUNK = 5_000;

/**
 * Deletes received PSP events past RECEIVED_PSP_EVENTS_RETENTION_DAYS, hourly, in bounded chunks.
 * The retention must outlast the PSPs' own retries (Stripe: 3 days, Adyen: up to 30 days of
 * retries for a failing endpoint), since the rows are also the deduplication keys.
 */
@Injectable()
export class ReceivedPspEventsPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReceivedPspEventsPruner.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: WebhooksConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((error) =>
        this.logger.warn(`received PSP events pruning failed: ${(error as Error).message}`),
      );
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes what is past retention; returns how many rows went. */
  async prune(): Promise<number> {
    const before = new Date(this.clock.nowMs() - this.config.RECEIVED_PSP_EVENTS_RETENTION_DAYS * 86_400_000);
    let total = 0;
    for (;;) {
      const [, deleted] = (await this.dataSource.query(
        `DELETE FROM received_psp_events WHERE id IN (
           SELECT id FROM received_psp_events WHERE received_at < $1 ORDER BY received_at LIMIT ${PRUNE_CHUNK})`,
        [before],
      )) as [unknown, number];
      total += deleted;
      if (deleted < PRUNE_CHUNK) return total;
    }
  }
}
