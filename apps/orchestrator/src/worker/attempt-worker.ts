import { randomUUID } from 'node:crypto';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from '@payflow/platform/database';
import { DataSource } from 'typeorm';
import type { Attempt } from '../attempts/attempt';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { paymentAttemptsTotal, pspOperationsOverdue } from '../metrics/orchestrator-metrics';
import { OrchestratorConfig } from '../orchestrator.config';
import { AttemptExecutor } from './attempt-executor';
import { DueAttemptsListener } from './due-attempts-listener';

/**
 * The scheduler: WORKER_COUNT loops, each claiming a bounded batch of due attempts
 * (`FOR UPDATE SKIP LOCKED`, in a short transaction of its own), running their PSP calls
 * concurrently outside any transaction, then claiming again. Idle loops sleep until a NOTIFY or the
 * poll interval. Retries are rows with a later `next_attempt_at`, so nothing ever blocks a Kafka
 * partition or waits inside a handler.
 */
@Injectable()
export class AttemptWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AttemptWorker.name);
  private readonly listener = new DueAttemptsListener(() => this.wakeAll());
  private readonly sleepers = new Set<() => void>();
  private loops: Promise<void>[] = [];
  private stopped = false;
  private overdueTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly attempts: AttemptsRepository,
    private readonly executor: AttemptExecutor,
    private readonly clock: Clock,
    private readonly config: OrchestratorConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.WORKER_COUNT === 0) return;
    await this.listener.start();
    this.loops = Array.from({ length: this.config.WORKER_COUNT }, (_, index) => this.loop(index));
    this.overdueTimer = setInterval(() => {
      this.refreshOverdueGauge().catch((error) =>
        this.logger.warn(`refreshing the overdue gauge failed: ${(error as Error).message}`),
      );
    }, this.config.PSP_OVERDUE_REFRESH_MS);
    this.overdueTimer.unref();
    await this.refreshOverdueGauge().catch(() => undefined);
  }

  /**
   * `psp_operations_overdue` from the attempts table: the count is the table's, not this process's
   * memory, so it survives restarts and agrees across replicas. Every series is reset first, so an
   * operation that settled drops back to 0 (absent).
   */
  async refreshOverdueGauge(): Promise<void> {
    const counts = await inTransaction(this.dataSource, (tx) => this.attempts.overdueCounts(tx));
    pspOperationsOverdue.reset();
    for (const { provider, operation, count } of counts)
      pspOperationsOverdue.set({ provider, operation }, count);
  }

  /** In-flight PSP calls finish and record their outcome before the pool closes. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.overdueTimer);
    this.wakeAll();
    await Promise.all(this.loops);
    await this.listener.stop();
  }

  /** Claims and runs one batch now (tests, and each loop's step); returns how many it ran. */
  async runOnce(): Promise<number> {
    const leaseId = randomUUID();
    const leaseMs = this.config.PSP_TIMEOUT_MS + this.config.WORKER_LEASE_MARGIN_MS;
    const now = this.clock.now();
    const claimed = await inTransaction(this.dataSource, (tx) =>
      this.attempts.claimDue(tx, now, this.config.WORKER_BATCH_SIZE, leaseId, leaseMs),
    );
    // Succeeded refunds due to be read again share the batch's remaining room.
    const room = this.config.WORKER_BATCH_SIZE - claimed.length;
    const watched =
      room > 0
        ? await inTransaction(this.dataSource, (tx) =>
            this.attempts.claimVerifications(tx, now, room, leaseMs),
          )
        : [];
    const report = (attempt: Attempt) => (error: unknown) => {
      // The lease lapses and the attempt is claimed again: its key makes the replay safe.
      this.logger.error(
        `attempt ${attempt.id} could not be processed: ${error instanceof Error ? error.stack : String(error)}`,
      );
    };
    await Promise.all([
      ...claimed.map(({ attempt, lapsed }) => {
        if (lapsed) this.reportLapsedClaim(attempt);
        return this.executor.run(attempt, leaseId).catch(report(attempt));
      }),
      ...watched.map((attempt) => this.executor.verifyRefund(attempt).catch(report(attempt))),
    ]);
    return claimed.length + watched.length;
  }

  /** The previous claim never recorded an outcome: its call may have run, so this attempt never fails over now. */
  private reportLapsedClaim(attempt: Attempt): void {
    paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'lease_lapsed' });
    this.logger.warn(
      `${attempt.id} (${attempt.operation} at ${attempt.provider}) reclaimed after a lease lapsed without an outcome: ` +
        `marked maybe executed, replayed with the same key (claim ${attempt.try_no})`,
    );
  }

  private async loop(index: number): Promise<void> {
    while (!this.stopped) {
      let ran = 0;
      try {
        ran = await this.runOnce();
      } catch (error) {
        this.logger.warn(`worker ${index}: claiming due attempts failed: ${(error as Error).message}`);
      }
      if (ran === 0 && !this.stopped) await this.sleep(this.config.WORKER_POLL_INTERVAL_MS);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  private wakeAll(): void {
    for (const wake of [...this.sleepers]) wake();
  }
}
