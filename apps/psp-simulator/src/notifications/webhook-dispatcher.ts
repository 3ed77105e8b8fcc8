import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import { FaultInjector } from '../faults/fault-injector';
import { SimulatorStats } from '../shared/simulator-stats';
import { SimulatorConfig } from '../simulator.config';
import type { OutgoingWebhook } from './outgoing-webhook';
import { nextWebhookRetryDelayMs, type WebhookRetryLimits } from './webhook-retry-policy';

/** Gap between the two copies of a duplicated webhook. */
const DUPLICATE_GAP_MS = 50;

/** One webhook (or one copy of a duplicated one) that is not delivered yet. */
interface PendingDelivery {
  webhook: OutgoingWebhook;
  failedAttempts: number;
  firstAttemptAtMs: number | null;
  lastError: string | null;
}

/** `GET /_simulator/webhooks/pending`: what is still owed to PayFlow. */
export interface PendingWebhooks {
  /** Webhooks not yet delivered nor given up: waiting for their first send, held back, in flight, or retrying. */
  pending: number;
  stripe: number;
  adyen: number;
  /** Of those, how many failed at least once (PayFlow's endpoint refused or did not answer). */
  retrying: number;
}

/**
 * Sends the simulated PSPs' signed webhooks to PayFlow: after `SIMULATOR_WEBHOOK_DELAY_MS` (under a
 * second by default), in the order the events happened, each once — unless faults inject extra
 * delay (`webhook_delay_ms`, `webhook_late`), duplicates, reordering or loss (`webhook_drop`). A failed delivery (non-2xx, no answer) is retried with jittered
 * exponential backoff, capped at `SIMULATOR_WEBHOOK_RETRY_MAX_DELAY_MS`, for
 * `SIMULATOR_WEBHOOK_RETRY_SPAN_MS` from the first attempt (3 days, as Stripe does), then dropped
 * and logged: an outage of PayFlow's webhooks service shorter than that loses nothing. Every
 * webhook not yet delivered or dropped is counted in `pending()`. The queue lives in memory, as
 * all the simulator's state does: a restart of the simulator forgets it.
 */
@Injectable()
export class WebhookDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  /** Per provider, a webhook held back by `webhook_reorder` until the next one is sent. */
  private readonly heldBack = new Map<Provider, { delivery: PendingDelivery; timer: NodeJS.Timeout }>();
  private readonly undelivered = new Set<PendingDelivery>();
  private readonly limits: WebhookRetryLimits;
  private stopped = false;

  constructor(
    private readonly config: SimulatorConfig,
    private readonly faults: FaultInjector,
    private readonly stats: SimulatorStats,
  ) {
    this.limits = {
      baseDelayMs: config.SIMULATOR_WEBHOOK_RETRY_BASE_MS,
      maxDelayMs: config.SIMULATOR_WEBHOOK_RETRY_MAX_DELAY_MS,
      spanMs: config.SIMULATOR_WEBHOOK_RETRY_SPAN_MS,
    };
  }

  /** Schedules delivery of `webhook`; never throws into the API request that caused it. */
  dispatch(webhook: OutgoingWebhook): void {
    if (!this.config.SIMULATOR_WEBHOOKS_ENABLED || this.stopped) return;
    this.stats.webhook(webhook.provider, 'queued');
    const decision = this.faults.decideWebhook(webhook.provider);
    if (decision.drop) {
      // Lost for good (`webhook_drop`): PayFlow must learn the outcome some other way, or wait.
      this.stats.webhook(webhook.provider, 'lost');
      this.logger.debug(`${webhook.provider} webhook ${webhook.description}: injected drop`);
      return;
    }
    const delay = this.config.SIMULATOR_WEBHOOK_DELAY_MS + decision.extraDelayMs;
    const delivery = this.track(webhook);
    this.later(delay, () => this.release(delivery, decision.reorder));
    if (decision.duplicate) {
      this.stats.webhook(webhook.provider, 'duplicated');
      const copy = this.track(webhook);
      this.later(delay + DUPLICATE_GAP_MS, () => void this.deliver(copy));
    }
  }

  /** Webhooks not yet delivered or dropped (the chaos harness waits for none). */
  pending(): PendingWebhooks {
    const all = [...this.undelivered];
    return {
      pending: all.length,
      stripe: all.filter((d) => d.webhook.provider === 'stripe').length,
      adyen: all.filter((d) => d.webhook.provider === 'adyen').length,
      retrying: all.filter((d) => d.failedAttempts > 0).length,
    };
  }

  /** Before the HTTP server closes, so it does not wait for held answers or pending timers. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const held of this.heldBack.values()) clearTimeout(held.timer);
    this.heldBack.clear();
    for (const controller of this.inFlight) controller.abort();
    if (this.undelivered.size > 0)
      this.logger.warn(`stopping with ${this.undelivered.size} webhooks undelivered`);
  }

  private track(webhook: OutgoingWebhook): PendingDelivery {
    const delivery: PendingDelivery = { webhook, failedAttempts: 0, firstAttemptAtMs: null, lastError: null };
    this.undelivered.add(delivery);
    return delivery;
  }

  /** Sends now, or holds it back for reordering; a held webhook goes right after the next one. */
  private release(delivery: PendingDelivery, reorder: boolean): void {
    const provider = delivery.webhook.provider;
    const held = this.heldBack.get(provider);
    if (held) {
      clearTimeout(held.timer);
      this.timers.delete(held.timer);
      this.heldBack.delete(provider);
    }
    if (reorder && !held) {
      this.stats.webhook(provider, 'reordered');
      const timer = this.later(this.config.SIMULATOR_WEBHOOK_REORDER_HOLD_MS, () => {
        this.heldBack.delete(provider);
        void this.deliver(delivery);
      });
      this.heldBack.set(provider, { delivery, timer });
      return;
    }
    void this.deliver(delivery).then(() => {
      if (held) void this.deliver(held.delivery);
    });
  }

  private async deliver(delivery: PendingDelivery): Promise<void> {
    if (this.stopped) return;
    const { webhook } = delivery;
    delivery.firstAttemptAtMs ??= Date.now();
    const url =
      webhook.provider === 'stripe'
        ? this.config.SIMULATOR_WEBHOOK_URL_STRIPE
        : this.config.SIMULATOR_WEBHOOK_URL_ADYEN;
    const failure = await this.post(url, webhook);
    if (failure === undefined) {
      this.undelivered.delete(delivery);
      this.stats.webhook(webhook.provider, 'delivered');
      if (delivery.failedAttempts > 0) {
        this.logger.log(
          `${webhook.provider} webhook ${webhook.description} delivered after ${delivery.failedAttempts} failed attempts`,
        );
      }
      return;
    }
    if (this.stopped) return;
    delivery.failedAttempts += 1;
    delivery.lastError = failure;
    this.stats.webhook(webhook.provider, 'failedAttempts');
    const delayMs = nextWebhookRetryDelayMs(
      {
        failedAttempts: delivery.failedAttempts,
        firstAttemptAtMs: delivery.firstAttemptAtMs,
        nowMs: Date.now(),
      },
      this.limits,
    );
    if (delayMs === null) {
      this.undelivered.delete(delivery);
      this.stats.webhook(webhook.provider, 'dropped');
      this.logger.warn(
        `dropped ${webhook.provider} webhook ${webhook.description} after ${delivery.failedAttempts} attempts ` +
          `over ${this.config.SIMULATOR_WEBHOOK_RETRY_SPAN_MS} ms to ${url}: ${failure}`,
      );
      return;
    }
    this.logger.debug(
      `${webhook.provider} webhook ${webhook.description} attempt ${delivery.failedAttempts} failed (${failure}); retrying in ${delayMs} ms`,
    );
    this.later(delayMs, () => void this.deliver(delivery));
  }

  /** One delivery attempt; the reason it failed, or undefined when PayFlow accepted it (2xx). */
  private async post(url: string, webhook: OutgoingWebhook): Promise<string | undefined> {
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.config.SIMULATOR_WEBHOOK_TIMEOUT_MS);
    this.inFlight.add(controller);
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'User-Agent': `psp-simulator (${webhook.provider})`,
          ...webhook.sign(webhook.body),
        },
        body: webhook.body,
        signal: controller.signal,
      });
      await response.arrayBuffer();
      return response.ok ? undefined : `HTTP ${response.status}`;
    } catch (error) {
      if (!(error instanceof Error)) return String(error);
      return error.cause instanceof Error ? error.cause.message : error.message;
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
  }

  private later(ms: number, run: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, ms);
    this.timers.add(timer);
    return timer;
  }
}
