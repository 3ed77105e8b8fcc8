import { Logger } from '@nestjs/common';
import type { Server } from 'node:http';

/** What the shutdown sequence stops, in order; each part may be absent (a service that does not consume). */
export interface ShutdownParts {
  /** The HTTP server: stops accepting at once; requests in flight finish. */
  http?: Pick<Server, 'close' | 'closeIdleConnections' | 'closeAllConnections'>;
  /** The inbox transport: stops fetching and lets in-flight handlers finish and commit. */
  consumers?: { close(): Promise<void> };
  /** The outbox relay: publishes what is committed, within the time it is given. */
  relay?: { stop(timeoutMs: number): Promise<void> };
  /** Everything else, pools last (Nest's own close: hooks, data source, Redis). */
  closeApp: () => Promise<void>;
  /** After the app: flush traces. */
  flushTelemetry?: () => Promise<void>;
}

/** Kept for closing the pools and the app once the consumers and the relay have had their turn. */
const CLOSE_RESERVE_MS = 1_000;

/**
 * Stops a service in the order that loses nothing (DESIGN.md): stop taking HTTP requests and
 * consuming, let in-flight handlers finish, flush the relay, then close the pools. Every step is
 * bounded by what is left of `timeoutMs`, so a Kafka or Postgres that does not answer cannot hold
 * SIGTERM: a step that overruns is logged and the next one starts; on a signal, a hard deadline
 * exits the process if the whole sequence still overruns.
 */
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');
  private running: Promise<void> | null = null;
  private step = 'not started';
  private readonly onSignal = (signal: NodeJS.Signals): void => {
    this.logger.log(`${signal} received: shutting down within ${this.timeoutMs} ms`);
    this.armHardDeadline();
    void this.run().then(
      () => process.exit(0),
      (error: unknown) => {
        this.logger.error(`shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };

  constructor(
    private readonly parts: ShutdownParts,
    private readonly timeoutMs: number,
  ) {}

  /** SIGTERM and SIGINT run the sequence and exit; installed before start-up, so start-up is bounded too. */
  installSignalHandlers(): void {
    process.once('SIGTERM', this.onSignal);
    process.once('SIGINT', this.onSignal);
  }

  removeSignalHandlers(): void {
    process.off('SIGTERM', this.onSignal);
    process.off('SIGINT', this.onSignal);
  }

  /** Runs the sequence once; later calls wait for the same run. */
  run(): Promise<void> {
    this.running ??= this.sequence();
    return this.running;
  }

  private async sequence(): Promise<void> {
    const startedMs = Date.now();
    const left = (reserveMs = 0): number =>
      Math.max(this.timeoutMs - (Date.now() - startedMs) - reserveMs, 0);
    const { http, consumers, relay } = this.parts;

    // Stop taking requests and events; what is in flight (HTTP requests, handler transactions)
    // finishes, so what it committed is in the outbox before the relay's last flush.
    this.step = 'finishing in-flight requests and handlers';
    const httpDrained = http
      ? new Promise<void>((resolve) => http.close(() => resolve()))
      : Promise.resolve();
    http?.closeIdleConnections();
    await this.bounded(
      Promise.all([httpDrained, consumers?.close()]),
      left(CLOSE_RESERVE_MS * 2),
      'in-flight requests and handlers',
    );
    http?.closeAllConnections();

    if (relay) {
      this.step = 'flushing the outbox relay';
      await relay.stop(Math.max(left(CLOSE_RESERVE_MS), 1));
    }

    this.step = 'closing the app and its pools';
    await this.bounded(this.parts.closeApp(), left(), 'closing the app');
    this.removeSignalHandlers();
    if (this.parts.flushTelemetry) {
      this.step = 'flushing telemetry';
      await this.bounded(this.parts.flushTelemetry(), Math.max(left(), 200), 'flushing telemetry');
    }
    this.step = 'done';
  }

  private async bounded(work: Promise<unknown>, ms: number, what: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
    const outcome = await Promise.race([
      work.then(
        () => 'done' as const,
        (error: unknown) => {
          this.logger.warn(
            `${what} failed during shutdown: ${error instanceof Error ? error.message : String(error)}`,
          );
          return 'done' as const;
        },
      ),
      timeout,
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.logger.warn(`${what} did not finish within ${ms} ms; shutdown goes on`);
  }

  /** Whatever hangs (a socket nobody answers), the process is gone by the deadline. */
  private armHardDeadline(): void {
    const timer = setTimeout(() => {
      this.logger.error(
        `shutdown did not finish within ${this.timeoutMs} ms (while ${this.step}); exiting now`,
      );
      process.exit(1);
    }, this.timeoutMs);
    timer.unref();
  }
}
