import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IntentsConfig } from '../intents.config';
import { AuthorizationExpiry } from './authorization-expiry';

/** Runs expiry passes every EXPIRY_INTERVAL_MS, never two at once, until a pass finds a short batch. */
@Injectable()
export class ExpiryScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ExpiryScheduler.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly expiry: AuthorizationExpiry,
    private readonly config: IntentsConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.EXPIRY_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.drain()
      .catch((error) => this.logger.warn(`authorization expiry pass failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
  }

  private async drain(): Promise<void> {
    // Bounded: a backlog is worked off a batch at a time, at most 10 batches per tick.
    for (let pass = 0; pass < 10; pass++) {
      const voided = await this.expiry.expireDue();
      if (voided < this.config.EXPIRY_BATCH_SIZE) return;
    }
  }
}
