import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { serviceDatabaseUrl } from '@payflow/platform/config';
import { PgChannelListener } from '@payflow/platform/database';
import { BillingConfig } from '../billing.config';
import { TestClockAdvance } from './test-clock-advance';
import { TEST_CLOCK_ADVANCE_CHANNEL, TestClocksRepository } from './test-clocks.repository';

/** Most clocks one pass looks at (the rest wait for the next pass; they are taken longest-held first). */
const CLOCKS_PER_PASS = 100;

/**
 * Clocks stepped at once by one replica. Clocks are independent (each step claims its own row), and
 * a step spends most of its time in Postgres, so several in flight keep both the database and this
 * process busy; few enough to leave the pool room for the API and the consumers.
 */
const CLOCKS_IN_PARALLEL = 4;

/**
 * Runs the advance saga in every replica: woken by the NOTIFY of an advance (and of anyone who
 * calls `wakeTestClockSaga`), with a polling fallback every TEST_CLOCK_POLL_INTERVAL_MS, since
 * payment answers clear `payment_pending` without telling it. A pass gives every advancing clock a
 * turn (`TestClockAdvance.takeTurn`), CLOCKS_IN_PARALLEL at a time; replicas share the clocks through the row claims, so a clock
 * is stepped by one replica at a time and each clock moves independently of the others and of the
 * wall clock. Nothing is kept in memory but "run again": a restarted replica picks every advancing
 * clock up where its row says it is.
 */
@Injectable()
export class TestClockAdvanceRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TestClockAdvanceRunner.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopping = false;
  private readonly session: PgChannelListener;

  constructor(
    private readonly advance: TestClockAdvance,
    private readonly clocks: TestClocksRepository,
    private readonly dataSource: DataSource,
    private readonly config: BillingConfig,
  ) {
    this.session = new PgChannelListener({
      connectionString: serviceDatabaseUrl('billing'),
      channel: TEST_CLOCK_ADVANCE_CHANNEL,
      applicationName: 'billing-test-clocks',
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      onNotification: () => this.wake(),
      // Notifications sent while no session listened are lost: look for ourselves.
      onGap: () => this.wake(),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.session.start();
    this.timer = setInterval(() => this.wake(), this.config.TEST_CLOCK_POLL_INTERVAL_MS);
    this.timer.unref();
    this.wake(); // clocks a stopped replica left advancing
  }

  /** Before the pools close (their onApplicationShutdown): the step in hand finishes on its connection. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.session.stop();
    await this.running;
  }

  /** Asks for a pass: now if none runs, else right after the one running. */
  wake(): void {
    if (this.stopping) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.pass();
  }

  /** One pass (and the ones asked for meanwhile); resolves when they are over. Tests await it. */
  pass(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain()
      .catch((error) => this.logger.warn(`test clock advance pass failed: ${(error as Error).message}`))
      .finally(() => {
        this.running = null;
      });
    return this.running;
  }

  private async turn(id: string): Promise<void> {
    if (this.stopping) return;
    try {
      await this.advance.takeTurn(id, () => this.stopping);
    } catch (error) {
      // One clock's failure (a lost connection, a bug) never stops the others; its row is unchanged.
      this.logger.warn(`test clock ${id}: advance step failed: ${(error as Error).message}`);
    }
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      const ids = await this.clocks.advancingIds(this.dataSource, CLOCKS_PER_PASS);
      // CLOCKS_IN_PARALLEL workers take the clocks in order, each its next one when done.
      const queue = [...ids];
      const worker = async (): Promise<void> => {
        for (let id = queue.shift(); id !== undefined && !this.stopping; id = queue.shift()) await this.turn(id);
      };
      await Promise.all(Array.from({ length: Math.min(CLOCKS_IN_PARALLEL, ids.length) }, worker));
      if (this.stopping) return;
      await this.advance.reportHeldClocks();
    } while (this.again && !this.stopping);
  }
}
