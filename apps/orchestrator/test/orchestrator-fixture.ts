import './support/cockatiel-for-jest';
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { INestApplication } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { register } from 'prom-client';
import {
  PaymentIntentObject,
  PspNotificationReceivedData,
  TOPICS,
  createEvent,
  validateEvent,
  type CaptureMethod,
  type EventEnvelope,
  type Provider,
} from '@payflow/contracts';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { KafkaInboxServer, createKafka } from '@payflow/platform/messaging';
import { runService } from '@payflow/platform/service';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import {
  verifyAndParseAdyenNotification,
  verifyAndParseStripeWebhook,
  type PspNotification,
} from '@payflow/psp';
// The brief allows running the PSP simulator in-process for these tests; it is used, never changed.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { simulatorConfigFrom, startSimulator } from '../../psp-simulator/src/simulator-app';
import { OrchestratorAppModule } from '../src/app.module';
import { OrchestratorConfig } from '../src/orchestrator.config';

export const TOKEN = 'orchestrator-test-internal-token';
const STRIPE_WEBHOOK_SECRET = 'whsec_orchestrator_test_secret';
const ADYEN_HMAC_KEY = '0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF';

export const newMerchant = () => `mer_${randomBytes(6).toString('hex')}`;
export const newIntentId = () => `pi_${randomBytes(10).toString('hex')}`;
export const newRefundId = () => `re_${randomBytes(10).toString('hex')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface AttemptRow {
  id: string;
  operation: string;
  provider: Provider | null;
  status: string;
  route_index: number;
  try_no: number;
  lapsed_claims: number;
  maybe_executed: boolean;
  error_class: string | null;
  idempotency_key: string;
  psp_reference: string | null;
  code: string | null;
  compensating: boolean;
  unknown_since: Date | null;
  awaiting_notification_since: Date | null;
  decline_code: string | null;
  network: string | null;
  advice_code: string | null;
  first_called_at: Date | null;
  compensates_attempt_id: string | null;
  compensation: string | null;
  resolution: string | null;
  overdue_since: Date | null;
  reversed_at: Date | null;
  verify_at: Date | null;
  amount: string;
}

/** One payment as the simulated PSP holds it in the end (docs/simulator.md, "Inspection"). */
export interface HeldPayment {
  provider: Provider;
  psp_reference: string;
  intent_id: string | null;
  status: string;
  amount_held: number;
  amount_captured: number;
  amount_refunded: number;
  net_charge: number;
}

export interface ResultRow {
  type: string;
  key: string;
  event: Json;
}

/**
 * The orchestrator started in-process on port 0 against real Postgres and Kafka, and the PSP
 * simulator in-process too. The intents service is played by publishing its request events, the
 * webhooks service by publishing `psp.notification_received` built from the webhooks the simulator
 * sends (received here, verified and normalized with libs/psp, as the webhooks service does).
 */
export class OrchestratorFixture {
  simulator!: INestApplication;
  simulatorUrl!: string;
  app!: INestApplication;
  url!: string;
  producer!: Producer;
  /** The orchestrator role's own connection: attempts, outbox, notifications. */
  db!: Pool;
  /** Every notification the simulator sent, verified and normalized. */
  readonly pspNotifications: PspNotification[] = [];
  private webhookServer!: Server;

  async start(env: Record<string, string> = {}, simulatorEnv: Record<string, string> = {}): Promise<void> {
    this.webhookServer = await this.startWebhookReceiver();
    const webhooksUrl = `http://127.0.0.1:${(this.webhookServer.address() as AddressInfo).port}`;
    this.simulator = await startSimulator(
      simulatorConfigFrom({
        PSP_SIMULATOR_PORT: '0',
        LOG_LEVEL: 'error',
        STRIPE_WEBHOOK_SECRET,
        ADYEN_HMAC_KEY,
        SIMULATOR_WEBHOOK_URL_STRIPE: `${webhooksUrl}/stripe`,
        SIMULATOR_WEBHOOK_URL_ADYEN: `${webhooksUrl}/adyen`,
        SIMULATOR_WEBHOOK_DELAY_MS: '0',
        SIMULATOR_SLOW_RESPONSE_MS: '2000',
        SIMULATOR_TIMEOUT_HOLD_MS: '2000',
        ...simulatorEnv,
      }),
    );
    this.simulatorUrl = `http://127.0.0.1:${(this.simulator.getHttpServer().address() as AddressInfo).port}`;

    const config = loadConfig(OrchestratorConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: TOKEN,
      LOG_LEVEL: 'error',
      STRIPE_API_KEY: 'sk_test_orchestrator',
      STRIPE_API_BASE: this.simulatorUrl,
      ADYEN_API_KEY: 'adyen_test_orchestrator',
      ADYEN_API_BASE: `${this.simulatorUrl}/checkout`,
      ADYEN_MERCHANT_ACCOUNT: 'PayFlowTest',
      PSP_TIMEOUT_MS: '400',
      RETRY_BASE_DELAY_MS: '40',
      RETRY_MAX_DELAY_MS: '300',
      UNKNOWN_RETRY_INTERVAL_MS: '300',
      WORKER_POLL_INTERVAL_MS: '50',
      CONSUMER_RETRY_BACKOFF_MS: '100',
      OUTBOX_POLL_INTERVAL_MS: '100',
      ...env,
    });
    await this.skipEarlierEvents(config.KAFKA_TOPIC_PREFIX);
    await this.parkEarlierAttempts();
    this.app = await runService(OrchestratorAppModule.forRoot(config), { service: 'orchestrator', port: 0 });
    this.url = (await this.app.getUrl()).replace('[::1]', 'localhost');
    this.db = new Pool({ connectionString: serviceDatabaseUrl('orchestrator'), max: 4 });
    // An idle client the server drops (a test that stops or terminates Postgres) must not crash Jest.
    this.db.on('error', () => undefined);
    this.producer = createKafka('orchestrator-tests', kafkaBrokers()).producer();
    await this.producer.connect();
    await waitFor(() => this.app.get(KafkaInboxServer).isReady(), { what: 'orchestrator consumer assigned' });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.db?.end();
    await this.app?.close();
    await this.simulator?.close();
    await new Promise((resolve) => this.webhookServer?.close(resolve));
  }

  /**
   * Attempts other suites left due, waiting or watched (retried, reconciled, a refund read again)
   * are not this suite's to run: its worker would call its own simulator for them and spend the
   * faults a test injects (a `limit: 1` 429 taken by a stranger's retrieve).
   */
  private async parkEarlierAttempts(): Promise<void> {
    const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 1 });
    try {
      await admin.query(`UPDATE orchestrator.attempts SET next_attempt_at = NULL, verify_at = NULL
                          WHERE next_attempt_at IS NOT NULL OR verify_at IS NOT NULL`);
    } finally {
      await admin.end();
    }
  }

  /**
   * The consumer group starts where the topics end now: request events other suites left on the
   * shared test topics (intents' own tests publish real ones) are not this suite's to process.
   */
  private async skipEarlierEvents(prefix: string): Promise<void> {
    const admin = createKafka('orchestrator-tests-admin', kafkaBrokers()).admin();
    await admin.connect();
    try {
      for (const topic of [TOPICS.intents, TOPICS.webhooks]) {
        // Explicit offsets: kafkajs' "latest" reset stores -1, which a group consuming from the beginning reads as none.
        const ends = await admin.fetchTopicOffsets(`${prefix}${topic}`);
        const partitions = ends.map(({ partition, high }) => ({ partition, offset: high }));
        await waitFor(
          async () => {
            await admin.setOffsets({
              groupId: `${prefix}orchestrator`,
              topic: `${prefix}${topic}`,
              partitions,
            });
            return true;
          },
          { what: `offsets of ${topic} moved to the end (the group must be empty)`, intervalMs: 250 },
        );
      }
    } finally {
      await admin.disconnect();
    }
  }

  private startWebhookReceiver(): Promise<Server> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          this.pspNotifications.push(...this.parseWebhook(req.url ?? '', Buffer.concat(chunks), req.headers));
          res.writeHead(200, { 'content-type': 'text/plain' }).end('[accepted]');
        } catch (error) {
          res.writeHead(400).end(String(error));
        }
      });
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
  }

  private parseWebhook(path: string, raw: Buffer, headers: IncomingHttpHeaders): PspNotification[] {
    if (path.endsWith('/stripe'))
      return verifyAndParseStripeWebhook(raw, headers, { secret: STRIPE_WEBHOOK_SECRET });
    return verifyAndParseAdyenNotification(raw, ADYEN_HMAC_KEY);
  }

  // The intents service, played.

  intent(merchantId: string, overrides: Partial<PaymentIntentObject> = {}): PaymentIntentObject {
    const now = new Date().toISOString();
    return {
      id: newIntentId(),
      object: 'payment_intent',
      merchant_id: merchantId,
      amount: 10_000,
      currency: 'USD',
      status: 'authorizing',
      capture_method: 'manual',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      payment_method: 'pm_card_visa',
      provider: null,
      last_error: null,
      description: null,
      metadata: {},
      created: now,
      updated: now,
      ...overrides,
    };
  }

  async requestAuthorization(
    intent: PaymentIntentObject,
    options: { paymentMethod?: string; captureMethod?: CaptureMethod; attemptNo?: number } = {},
  ) {
    const event = createEvent({
      type: 'payment_intent.authorization_requested',
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: intent.id,
      aggregate_version: 1,
      merchant_id: intent.merchant_id,
      correlation_id: `corr_${intent.id}`,
      data: {
        intent: { ...intent, status: 'authorizing' },
        payment_method: options.paymentMethod ?? intent.payment_method ?? 'pm_card_visa',
        capture_method: options.captureMethod ?? intent.capture_method,
        attempt_no: options.attemptNo ?? 1,
      },
    });
    await this.publish(TOPICS.intents, intent.id, event);
    return event;
  }

  async requestCapture(intent: PaymentIntentObject, provider: Provider, amount = intent.amount) {
    const event = createEvent({
      type: 'payment_intent.capture_requested',
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: intent.id,
      aggregate_version: 3,
      merchant_id: intent.merchant_id,
      correlation_id: `corr_${intent.id}`,
      data: { intent: { ...intent, status: 'capturing', provider }, provider, amount },
    });
    await this.publish(TOPICS.intents, intent.id, event);
    return event;
  }

  async requestCancel(intent: PaymentIntentObject, provider: Provider, reason = 'requested_by_customer') {
    const event = createEvent({
      type: 'payment_intent.cancel_requested',
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: intent.id,
      aggregate_version: 3,
      merchant_id: intent.merchant_id,
      correlation_id: `corr_${intent.id}`,
      data: { intent: { ...intent, status: 'canceling', provider }, provider, reason },
    });
    await this.publish(TOPICS.intents, intent.id, event);
    return event;
  }

  async requestRefund(
    intent: PaymentIntentObject,
    provider: Provider,
    amount: number,
    refundId = newRefundId(),
  ) {
    const event = createEvent({
      type: 'refund.requested',
      source: 'intents',
      aggregate_type: 'refund',
      aggregate_id: refundId,
      aggregate_version: 1,
      merchant_id: intent.merchant_id,
      correlation_id: `corr_${intent.id}`,
      data: {
        refund: {
          id: refundId,
          object: 'refund',
          payment_intent: intent.id,
          amount,
          currency: intent.currency,
          status: 'pending',
          reason: 'requested_by_customer',
          created: new Date().toISOString(),
        },
        provider,
        amount,
        reason: 'requested_by_customer',
      },
    });
    await this.publish(TOPICS.intents, intent.id, event);
    return event;
  }

  // The webhooks service, played.

  /** Publishes `psp.notification_received` as the webhooks service would, keyed by the intent id. */
  async publishNotification(merchantId: string, data: PspNotificationReceivedData) {
    const event = createEvent({
      type: 'psp.notification_received',
      source: 'webhooks',
      aggregate_type: 'psp_event',
      aggregate_id: `${data.provider}:${data.psp_event_id}`,
      aggregate_version: 1,
      merchant_id: merchantId,
      data,
    });
    await this.publish(TOPICS.webhooks, data.intent_id ?? data.psp_reference, event);
    return event;
  }

  /** Waits for the simulator's webhook(s) about an intent matching `predicate`. */
  async simulatorNotification(
    intentId: string,
    predicate: (n: PspNotification) => boolean,
  ): Promise<PspNotificationReceivedData> {
    const found = await waitFor(
      () => this.pspNotifications.find((n) => n.data.intent_id === intentId && predicate(n)),
      {
        what: `a simulator webhook about ${intentId}`,
      },
    );
    return { ...found.data };
  }

  async publish(topic: string, key: string, event: EventEnvelope): Promise<void> {
    expect(validateEvent(event)).toMatchObject({ ok: true });
    await this.producer.send({
      topic: wireTopic(topic),
      messages: [
        { key, value: JSON.stringify(event), headers: { 'event-id': event.id, 'event-type': event.type } },
      ],
    });
  }

  // What the orchestrator did.

  async attempts(intentId: string): Promise<AttemptRow[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM attempts WHERE intent_id = $1 ORDER BY created_at, id`,
      [intentId],
    );
    return rows;
  }

  /** The `payment.*` results the orchestrator wrote for an intent, oldest first (each validated). */
  async results(intentId: string): Promise<ResultRow[]> {
    const { rows } = await this.db.query(
      `SELECT event_type, message_key, payload FROM outbox WHERE message_key = $1 AND topic = $2 ORDER BY id`,
      [intentId, TOPICS.orchestrator],
    );
    for (const row of rows) expect(validateEvent(row.payload)).toMatchObject({ ok: true });
    return rows.map((row) => ({ type: row.event_type, key: row.message_key, event: row.payload }));
  }

  async waitForResult(intentId: string, type: string, timeoutMs = 15_000): Promise<ResultRow> {
    return waitFor(async () => (await this.results(intentId)).find((r) => r.type === type), {
      what: `${type} for ${intentId}`,
      timeoutMs,
      intervalMs: 25,
    });
  }

  async waitForAttempt(
    intentId: string,
    predicate: (a: AttemptRow) => boolean,
    what: string,
    timeoutMs = 15_000,
  ): Promise<AttemptRow> {
    return waitFor(async () => (await this.attempts(intentId)).find(predicate), {
      what,
      timeoutMs,
      intervalMs: 25,
    });
  }

  async notificationsOf(
    intentId: string,
  ): Promise<{ kind: string; status: string; outcome: string | null }[]> {
    const { rows } = await this.db.query(
      `SELECT kind, status, outcome FROM psp_notifications WHERE intent_id = $1 ORDER BY id`,
      [intentId],
    );
    return rows;
  }

  // The simulator's admin API.

  async faults(provider: Provider, spec: Record<string, number>): Promise<void> {
    const response = await fetch(`${this.simulatorUrl}/_simulator/faults/${provider}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(spec),
    });
    expect(response.status).toBe(200);
  }

  async clearFaults(provider: Provider): Promise<void> {
    expect(
      (await fetch(`${this.simulatorUrl}/_simulator/faults/${provider}`, { method: 'DELETE' })).status,
    ).toBe(200);
  }

  /** How often the simulated PSP executed (and replayed) the operation under an idempotency key. */
  async charges(provider: Provider, key: string): Promise<{ charges: number; replays: number }> {
    const response = await fetch(
      `${this.simulatorUrl}/_simulator/charges?key=${encodeURIComponent(key)}&provider=${provider}`,
    );
    return response.json() as Promise<{ charges: number; replays: number }>;
  }

  /** Successful authorizations the simulated PSPs made for a PayFlow intent, across both (any key). */
  async chargesForIntent(intentId: string): Promise<number> {
    const response = await fetch(
      `${this.simulatorUrl}/_simulator/charges?intent=${encodeURIComponent(intentId)}`,
    );
    return ((await response.json()) as { charges: number }).charges;
  }

  /** The payments the simulated PSPs hold for a PayFlow intent, in their final state. */
  async heldPayments(intentId: string): Promise<HeldPayment[]> {
    const response = await fetch(`${this.simulatorUrl}/_simulator/inspection/payments`);
    const { payments } = (await response.json()) as { payments: HeldPayment[] };
    return payments.filter((p) => p.intent_id === intentId);
  }

  // The internal API.

  async call(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = TOKEN,
  ): Promise<{ status: number; body: Json }> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers['x-internal-token'] = token;
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: response.status, body: parsed };
  }

  async routingRule(merchantId: string, rule: Record<string, unknown>): Promise<Json> {
    const answer = await this.call('POST', '/internal/v1/routing-rules', {
      merchant_id: merchantId,
      priority: 1,
      ...rule,
    });
    expect(answer).toMatchObject({ status: 201 });
    return answer.body;
  }

  async metric(name: string, labels: Record<string, string>): Promise<number> {
    const metric = register.getSingleMetric(name);
    const values = (await metric?.get())?.values ?? [];
    return values
      .filter((v) => Object.entries(labels).every(([key, value]) => v.labels[key] === value))
      .reduce((sum, v) => sum + v.value, 0);
  }
}
