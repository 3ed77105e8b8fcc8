import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import type { Request, Response } from 'express';
import { FaultInjector } from '../faults/fault-injector';
import { SimulatorConfig } from '../simulator.config';
import { Holds } from './holds';
import { IdempotencyStore } from './idempotency-store';
import type { SimulatedResponse } from './simulated-response';
import { SimulatorStats } from './simulator-stats';

/** How one PSP words the failures the runner produces, in that PSP's own error shape. */
export interface PspFailureAnswers {
  /** 429: nothing happened. */
  rateLimited(): SimulatedResponse;
  /** 5xx with the PSP's explicit "not processed" marker: nothing happened. */
  notProcessed(): SimulatedResponse;
  /** 5xx after the operation ran: it happened, the client cannot know. */
  failedAfterExecuting(): SimulatedResponse;
  /** The idempotency key was used before with other parameters. */
  idempotencyConflict(): SimulatedResponse;
  /**
   * Another request with the same key is still running (Stripe: 409 `idempotency_key_in_use`).
   * Absent: the PSP does not lock keys, and the later request replays the kept answer.
   */
  keyInUse?(): SimulatedResponse;
  /**
   * Whether a 500 after execution is saved as the key's answer (Stripe does; `error_5xx_saved`).
   * When false the fault is a plain `error_5xx_executed`.
   */
  savesFailedAnswers?: boolean;
}

export interface PspOperation {
  provider: Provider;
  /** For counters: `authorize`, `capture`, … */
  name: string;
  idempotencyKey?: string;
  fingerprint: string;
  failures: PspFailureAnswers;
  /** Runs the operation: changes state, schedules webhooks, returns the answer. Synchronous, so no other request interleaves. */
  execute(): SimulatedResponse;
  /** Headers on every answer (request ids, key echo), with `replayed` telling a replay apart. */
  headers?(replayed: boolean): Record<string, string>;
}

/**
 * Runs one simulated PSP call the way a PSP and its network can behave: a key whose earlier request
 * is still running is refused (Stripe's 409), then the injected latency and faults that strike
 * before anything happens (reset, 429, "not processed" 5xx), then the operation under its
 * idempotency key (executed once, replayed after), then the faults that strike after it happened
 * (5xx, a saved 5xx, a reset, a timeout that holds the answer), then the answer — late for slow cards.
 */
@Injectable()
export class PspRequestRunner implements BeforeApplicationShutdown {
  private readonly logger = new Logger(PspRequestRunner.name);
  private readonly holds = new Holds();

  constructor(
    private readonly faults: FaultInjector,
    private readonly idempotency: IdempotencyStore,
    private readonly stats: SimulatorStats,
    private readonly config: SimulatorConfig,
  ) {}

  async handle(req: Request, res: Response, operation: PspOperation): Promise<void> {
    const { provider, idempotencyKey: key, failures } = operation;
    // A key is "in use" for the whole life of its request: from arrival until answered or abandoned.
    const locks = Boolean(key && failures.keyInUse);
    if (key && failures.keyInUse && !this.idempotency.acquire(provider, key)) {
      this.stats.count(provider, 'idempotency_key_in_use');
      return this.send(res, failures.keyInUse(), operation, false);
    }
    try {
      await this.handleLocked(req, res, operation);
    } finally {
      if (locks && key) this.idempotency.release(provider, key);
    }
  }

  private async handleLocked(req: Request, res: Response, operation: PspOperation): Promise<void> {
    const decision = this.faults.decideRequest(operation.provider);
    this.stats.fault(operation.provider, decision.fault);
    await this.holds.wait(decision.latencyMs, res);
    if (res.destroyed) return;

    switch (decision.fault) {
      case 'reset':
        this.logger.debug(`${operation.provider} ${operation.name}: injected connection reset`);
        req.socket.destroy();
        return;
      case 'rate_limit':
        return this.send(res, operation.failures.rateLimited(), operation, false);
      case 'error_5xx_not_executed':
        return this.send(res, operation.failures.notProcessed(), operation, false);
      default:
        break;
    }

    const run = this.idempotency.run(
      operation.provider,
      operation.idempotencyKey,
      operation.fingerprint,
      operation.name,
      () => operation.execute(),
    );
    if (run.kind === 'conflict')
      return this.send(res, operation.failures.idempotencyConflict(), operation, false);
    const replayed = run.kind === 'replayed';

    switch (decision.fault) {
      case 'reset_after_execution':
        // It happened (or was replayed); the client only sees its connection die.
        this.logger.debug(
          `${operation.provider} ${operation.name}: injected connection reset after execution`,
        );
        req.socket.destroy();
        return;
      case 'error_5xx_executed':
        return this.send(res, operation.failures.failedAfterExecuting(), operation, replayed);
      case 'error_5xx_saved': {
        const failure = operation.failures.failedAfterExecuting();
        // Stripe keeps the 500 as the key's answer: same-key retries get it again, so the real
        // outcome can only be learnt by retrieving the object or from its webhook.
        if (
          operation.failures.savesFailedAnswers &&
          !replayed &&
          operation.idempotencyKey &&
          this.idempotency.saveAnswer(operation.provider, operation.idempotencyKey, failure)
        ) {
          this.stats.count(operation.provider, 'saved_failure');
        }
        return this.send(res, failure, operation, replayed);
      }
      case 'timeout':
        // Executed; the answer is held until the client gives up (or the hold ends).
        await this.holds.wait(this.config.SIMULATOR_TIMEOUT_HOLD_MS, res);
        break;
      default:
        if (run.response.lateByMs && !replayed) await this.holds.wait(run.response.lateByMs, res);
    }
    return this.send(res, run.response, operation, replayed);
  }

  /** Before the HTTP server closes, so it does not wait for held answers or pending timers. */
  beforeApplicationShutdown(): void {
    this.holds.releaseAll();
  }

  private send(res: Response, response: SimulatedResponse, operation: PspOperation, replayed: boolean): void {
    if (res.destroyed || res.writableEnded) return;
    res.status(response.status);
    res.set({ ...(operation.headers?.(replayed) ?? {}), ...(response.headers ?? {}) });
    res.json(response.body);
  }
}
