import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { ScheduledWork } from './scheduled-work';

/** How often the wall-clock poller looks for due work, and how many rows one tick runs at most. */
export interface SchedulerPollerOptions {
  pollMs: number;
  batch: number;
}

export const SCHEDULER_POLLER_OPTIONS = Symbol('SCHEDULER_POLLER_OPTIONS');
const DEFAULTS: SchedulerPollerOptions = { pollMs: 1_000, batch: 100 };

/**
 * The one wall-clock scheduler of the service (DESIGN.md "Time"): every `pollMs` it runs the due
 * rows without a test clock, never two passes at once in this process (replicas are kept apart by
 * the rows' SKIP LOCKED claims). On shutdown it stops claiming and waits for the row in hand, before
 * the pool closes and while the outbox relay still runs (it stops in onApplicationShutdown), so the
 * row's events leave with it.
 */
@Injectable()
export class SchedulerPoller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SchedulerPoller.name);
  private readonly options: SchedulerPollerOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopping = false;

  constructor(
    private readonly work: ScheduledWork,
    @Optional() @Inject(SCHEDULER_POLLER_OPTIONS) options?: Partial<SchedulerPollerOptions>,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => this.tick(), this.options.pollMs);
    this.timer.unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /**
   * One pass that starts now, after any pass already running (tests use it instead of waiting for
   * the timer, and see every row due at the time they call it); resolves when it is over.
   */
  async pass(): Promise<void> {
    while (this.running) await this.running;
    this.running = this.drain()
      .catch((error) => this.logger.warn(`scheduler pass failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private tick(): void {
    if (!this.running && !this.stopping) void this.pass();
  }

  private async drain(): Promise<void> {
    // A backlog is worked off a batch at a time; a short batch means nothing more is due now.
    for (let batch = 0; batch < 10 && !this.stopping; batch++) {
      const { done, failed } = await this.work.runWallDue(this.options.batch, () => this.stopping);
      if (done + failed < this.options.batch) return;
    }
  }
}
