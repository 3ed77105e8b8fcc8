import { Injectable, Logger, BeforeApplicationShutdown } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import { FaultInjector } from '../faults/fault-injector';
import { SimulatorStats } from '../shared/simulator-stats';
import { SimulatorConfig } from '../simulator.config';
import type { OutgoingWebhook } from './outgoing-webhook';

/** Gap between the two copies of a duplicated webhook. */
const DUPLICATE_GAP_MS = 50;

/**
 * Sends the simulated PSPs' signed webhooks to PayFlow: after `SIMULATOR_WEBHOOK_DELAY_MS` (under a
 * second by default), in the order the events happened, each once — unless faults inject extra
 * delay, duplicates or reordering. A failed delivery (non-2xx, no answer) is retried with
 * exponential backoff up to `SIMULATOR_WEBHOOK_MAX_ATTEMPTS`, then dropped and logged, as a PSP
 * gives up eventually.
 */
@Injectable()
export class WebhookDispatcher implements BeforeApplicationShutdown {
  private readonly logger = new Logger(WebhookDispatcher.name);
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<AbortController>();
  /** Per provider, a webhook held back by `webhook_reorder` until the next one is sent. */
  private readonly heldBack = new Map<Provider, { webhook: OutgoingWebhook; timer: NodeJS.Timeout }>();
  private stopped = false;

  constructor(
    private readonly config: SimulatorConfig,
    private readonly faults: FaultInjector,
    private readonly stats: SimulatorStats,
  ) {}

  /** Schedules delivery of `webhook`; never throws into the API request that caused it. */
  dispatch(webhook: OutgoingWebhook): void {
    if (!this.config.SIMULATOR_WEBHOOKS_ENABLED || this.stopped) return;
    this.stats.webhook(webhook.provider, 'queued');
    const decision = this.faults.decideWebhook(webhook.provider);
    const delay = this.config.SIMULATOR_WEBHOOK_DELAY_MS + decision.extraDelayMs;
    this.later(delay, () => this.release(webhook, decision.reorder));
    if (decision.duplicate) {
      this.stats.webhook(webhook.provider, 'duplicated');
      this.later(delay + DUPLICATE_GAP_MS, () => void this.deliver(webhook, 1));
    }
  }

  /** Before the HTTP server closes, so it does not wait for held answers or pending timers. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const held of this.heldBack.values()) clearTimeout(held.timer);
    this.heldBack.clear();
    for (const controller of this.inFlight) controller.abort();
  }

  /** Sends now, or holds it back for reordering; a held webhook goes right after the next one. */
  private release(webhook: OutgoingWebhook, reorder: boolean): void {
    const held = this.heldBack.get(webhook.provider);
    if (held) {
      clearTimeout(held.timer);
      this.timers.delete(held.timer);
      this.heldBack.delete(webhook.provider);
    }
    if (reorder && !held) {
      this.stats.webhook(webhook.provider, 'reordered');
      const timer = this.later(this.config.SIMULATOR_WEBHOOK_REORDER_HOLD_MS, () => {
        this.heldBack.delete(webhook.provider);
        void this.deliver(webhook, 1);
      });
      this.heldBack.set(webhook.provider, { webhook, timer });
      return;
    }
    void this.deliver(webhook, 1).then(() => {
      if (held) void this.deliver(held.webhook, 1);
    });
  }

  private async deliver(webhook: OutgoingWebhook, attempt: number): Promise<void> {
    if (this.stopped) return;
    const url =
      webhook.provider === 'stripe'
        ? this.config.SIMULATOR_WEBHOOK_URL_STRIPE
        : this.config.SIMULATOR_WEBHOOK_URL_ADYEN;
    const controller = new AbortController();
    const timeout = setTimeout(() => controller.abort(), this.config.SIMULATOR_WEBHOOK_TIMEOUT_MS);
    this.inFlight.add(controller);
    let failure: string | undefined;
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
      if (!response.ok) failure = `HTTP ${response.status}`;
    } catch (error) {
      failure =
        error instanceof Error
          ? error.cause instanceof Error
            ? error.cause.message
            : error.message
          : String(error);
    } finally {
      clearTimeout(timeout);
      this.inFlight.delete(controller);
    }
    if (failure === undefined) {
      this.stats.webhook(webhook.provider, 'delivered');
      return;
    }
    if (this.stopped) return;
    this.stats.webhook(webhook.provider, 'failedAttempts');
    if (attempt >= this.config.SIMULATOR_WEBHOOK_MAX_ATTEMPTS) {
      this.stats.webhook(webhook.provider, 'dropped');
      this.logger.warn(
        `dropped ${webhook.provider} webhook ${webhook.description} after ${attempt} attempts to ${url}: ${failure}`,
      );
      return;
    }
    const backoff = this.config.SIMULATOR_WEBHOOK_RETRY_BASE_MS * 2 ** (attempt - 1);
    this.logger.debug(
      `${webhook.provider} webhook ${webhook.description} attempt ${attempt} failed (${failure}); retrying in ${backoff} ms`,
    );
    this.later(backoff, () => void this.deliver(webhook, attempt + 1));
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
