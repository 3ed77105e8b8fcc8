import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DunningConfig } from '../dunning.config';
import { DueWork } from './due-work';

/** Items one pass handles at most before it yields to the next tick. */
const PASS_LIMIT = 500;

/**
 * The wall-clock scheduler of the service (billing's model): every DUNNING_SCHEDULER_POLL_INTERVAL_MS
 * it runs the due retries and expired waits, never two passes at once in this process (replicas
 * are kept apart by the SKIP LOCKED claims). On shutdown it stops claiming and waits for the item
 * in hand, while the outbox relay still runs, so its events leave with it.
 */
@Injectable()
export class SchedulerPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerPoller.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly work: DueWork,
    private readonly config: DunningConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.config.DUNNING_SCHEDULER_POLL_INTERVAL_MS);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One pass that starts now, after any pass already running (tests call it instead of waiting). */
  async pass(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.work
      .runWallDue(PASS_LIMIT, () => this.stopping)
      .then(() => undefined)
      .catch((error) => this.logger.warn(`scheduler pass failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private tick(): void {
    if (!this.running && !this.stopping) void this.pass();
  }
}
