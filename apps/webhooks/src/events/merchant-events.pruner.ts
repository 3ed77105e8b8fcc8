import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { WebhooksConfig } from '../webhooks.config';
import { MerchantEventsRepository } from './merchant-events.repository';

const PRUNE_INTERVAL_MS = 60 * 60_000;

/** Events are kept EVENT_RETENTION_DAYS (API.md: 30 days), then deleted hourly with their deliveries. */
@Injectable()
export class MerchantEventsPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MerchantEventsPruner.name);
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly dataSource: DataSource,
    private readonly events: MerchantEventsRepository,
    private readonly config: WebhooksConfig,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.prune().catch((error) =>
        this.logger.warn(`merchant events pruning failed: ${(error as Error).message}`),
      );
    }, PRUNE_INTERVAL_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Deletes events past retention now (tests, operators); returns how many. */
  prune(): Promise<number> {
    return this.events.prune(
      this.dataSource,
      new Date(this.clock.nowMs() - this.config.EVENT_RETENTION_DAYS * 86_400_000),
    );
  }
}
