import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from '@payflow/platform/database';
import { PAYFLOW_SIGNATURE_HEADER, signatureHeader } from '../signing/payflow-signature';
import { UrlSafety } from '../url-safety/url-safety';
import { WebhooksConfig } from '../webhooks.config';
import { DeliveriesCommitSubscriber } from './deliveries-commit.subscriber';
import { ClaimedDelivery, DeliveriesRepository } from './deliveries.repository';
import {
  deliveriesCompletedTotal,
  deliveriesInFlight,
  deliveryAttemptsTotal,
  deliveryDurationSeconds,
} from './delivery-metrics';
import { RetrySchedule, nextAttemptAt } from './retry-schedule';
import { WebhookResponse, postWebhook } from './webhook-sender';

/** Most deliveries claimed in one transaction: small batches keep claims short and fair between replicas. */
const CLAIM_BATCH = 20;
/**
 * Node's timers run on a monotonic clock and may fire a millisecond before the wall clock reaches
 * their deadline; a retry woken that early would not be due yet and would wait for the poll.
 */
const RETRY_WAKE_MARGIN_MS = 10;
/** A claimed attempt's lease beyond its timeout, after which a crashed process's claim is due again. */
const LEASE_MARGIN_MS = 60_000;

/**
 * Sends merchant webhooks. When deliveries are committed, when a retry comes due, whenever an
 * attempt ends, and every WEBHOOK_DELIVERY_POLL_MS as the fallback (deliveries of another replica,
 * expired leases), it claims what is due and starts it without waiting for it: HTTP calls run outside any
 * transaction, concurrently, at most WEBHOOK_DELIVERY_CONCURRENCY in all and
 * WEBHOOK_ENDPOINT_CONCURRENCY per endpoint. An endpoint that is slow or dead holds only its own
 * slots; its deliveries are not even claimed while those are full, so it never delays another
 * endpoint's (another merchant's) deliveries.
 *
 * Each attempt is recorded (status code, duration, error) in its own short transaction; a non-2xx
 * or timeout is retried with exponential backoff until WEBHOOK_RETRY_WINDOW_MS after the event,
 * then the delivery is failed. The URL is checked again before each attempt and the connection
 * pinned to the checked addresses (url-safety/), so DNS rebinding cannot reach internal addresses.
 */
@Injectable()
export class DeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Deliveries');
  private readonly schedule: RetrySchedule;
  private readonly inFlightByEndpoint = new Map<string, number>();
  private readonly running = new Set<Promise<void>>();
  private inFlight = 0;
  private timer: NodeJS.Timeout | null = null;
  private pumping: Promise<void> | null = null;
  private pumpAgain = false;
  private stopping = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly urlSafety: UrlSafety,
    private readonly config: WebhooksConfig,
    private readonly clock: Clock,
  ) {
    this.schedule = { baseMs: config.WEBHOOK_RETRY_BASE_MS, maxDelayMs: config.WEBHOOK_RETRY_MAX_DELAY_MS };
  }

  onApplicationBootstrap(): void {
    this.dataSource.subscribers.push(new DeliveriesCommitSubscriber(() => this.wake()));
    this.timer = setInterval(() => this.wake(), this.config.WEBHOOK_DELIVERY_POLL_MS);
    this.timer.unref();
  }

  /** Stops claiming, then lets the attempts in flight finish and record (each bounded by its timeout). */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await this.pumping;
    await Promise.allSettled([...this.running]);
  }

  /** Looks for due deliveries now (one pass at a time; a wake during a pass runs one more). */
  wake(): void {
    if (this.stopping) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = this.pump()
      .catch((error) => this.logger.warn(`claiming deliveries failed: ${(error as Error).message}`))
      .finally(() => {
        this.pumping = null;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.wake();
        }
      });
  }

  private async pump(): Promise<void> {
    const perEndpoint = this.config.WEBHOOK_ENDPOINT_CONCURRENCY;
    while (!this.stopping) {
      const room = Math.min(this.config.WEBHOOK_DELIVERY_CONCURRENCY - this.inFlight, CLAIM_BATCH);
      if (room <= 0) return;
      const saturated = [...this.inFlightByEndpoint].filter(([, n]) => n >= perEndpoint).map(([id]) => id);
      const now = this.clock.now();
      const claimed = await inTransaction(this.dataSource, (tx) =>
        this.deliveries.claim(tx, {
          now,
          leaseUntil: new Date(now.getTime() + this.config.WEBHOOK_TIMEOUT_MS + LEASE_MARGIN_MS),
          limit: room,
          saturatedEndpoints: saturated,
          roomFor: (endpointId) => perEndpoint - (this.inFlightByEndpoint.get(endpointId) ?? 0),
        }),
      );
      for (const delivery of claimed) this.start(delivery);
      if (claimed.length < room) return;
    }
  }

  private start(delivery: ClaimedDelivery): void {
    this.inFlight++;
    this.inFlightByEndpoint.set(
      delivery.endpoint_id,
      (this.inFlightByEndpoint.get(delivery.endpoint_id) ?? 0) + 1,
    );
    deliveriesInFlight.inc();
    const attempt = this.attempt(delivery)
      .catch((error) => this.logger.error(`delivery ${delivery.id}: ${(error as Error).message}`))
      .finally(() => {
        this.inFlight--;
        const left = (this.inFlightByEndpoint.get(delivery.endpoint_id) ?? 1) - 1;
        if (left > 0) this.inFlightByEndpoint.set(delivery.endpoint_id, left);
        else this.inFlightByEndpoint.delete(delivery.endpoint_id);
        deliveriesInFlight.dec();
        this.running.delete(attempt);
        // A slot came free: whatever waited for it can start now rather than at the next poll.
        this.wake();
      });
    this.running.add(attempt);
  }

  /** One attempt: check the URL, sign, POST, record. Never inside a transaction. */
  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const startedAt = this.clock.now();
    const response = await this.send(delivery, startedAt);
    const succeeded = response.statusCode !== null && response.statusCode >= 200 && response.statusCode < 300;
    const attemptNo = delivery.attempt_count + 1;
    const finishedAt = this.clock.now();
    const retryAt = succeeded
      ? null
      : nextAttemptAt(attemptNo, finishedAt, new Date(delivery.retry_until), this.schedule);
    const status = succeeded ? 'succeeded' : retryAt ? 'pending' : 'failed';
    await inTransaction(this.dataSource, (tx) =>
      this.deliveries.recordAttempt(tx, {
        delivery,
        startedAt,
        durationMs: response.durationMs,
        statusCode: response.statusCode,
        error: response.error,
        succeeded,
        status,
        nextAttemptAt: retryAt,
        completedAt: status === 'pending' ? null : finishedAt,
      }),
    );
    // Wake for the retry when it is due rather than at the poll after it (other replicas poll).
    if (retryAt)
      setTimeout(
        () => this.wake(),
        Math.max(0, retryAt.getTime() - this.clock.nowMs()) + RETRY_WAKE_MARGIN_MS,
      ).unref();
    deliveryAttemptsTotal.inc({ outcome: succeeded ? 'succeeded' : 'failed' });
    deliveryDurationSeconds.observe(response.durationMs / 1000);
    if (status !== 'pending') deliveriesCompletedTotal.inc({ outcome: status });
    // The endpoint id, not its URL: a URL may carry a merchant's token in its path or query.
    const what = `${delivery.id} (${delivery.event_type} ${delivery.event_id}) to ${delivery.endpoint_id}, attempt ${attemptNo}`;
    const answer = response.statusCode !== null ? `HTTP ${response.statusCode}` : response.error;
    const next = status === 'pending' ? `retry at ${retryAt!.toISOString()}` : status;
    if (succeeded) this.logger.log(`webhook ${what}: ${answer} in ${response.durationMs} ms`);
    else
      this.logger.warn(
        `webhook ${what}: ${answer}${response.statusCode !== null && response.error ? ` (${response.error})` : ''} in ${response.durationMs} ms; ${next}`,
      );
  }

  private async send(delivery: ClaimedDelivery, startedAt: Date): Promise<WebhookResponse> {
    const verdict = await this.urlSafety.check(delivery.url);
    if (!verdict.allowed) return { statusCode: null, error: `url refused: ${verdict.reason}`, durationMs: 0 };
    const timestamp = Math.floor(startedAt.getTime() / 1000);
    return postWebhook({
      url: verdict.url,
      addresses: verdict.addresses,
      body: delivery.body,
      headers: {
        'content-type': 'application/json; charset=utf-8',
        'user-agent': 'PayFlow-Webhooks/1.0',
        [PAYFLOW_SIGNATURE_HEADER]: signatureHeader(delivery.secret, timestamp, delivery.body),
        'PayFlow-Event-Id': delivery.event_id,
        'PayFlow-Delivery-Id': delivery.id,
      },
      timeoutMs: this.config.WEBHOOK_TIMEOUT_MS,
    });
  }
}
