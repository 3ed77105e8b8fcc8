import { randomBytes } from 'node:crypto';
import { IncomingHttpHeaders, Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { hmacValidator, type Types } from '@adyen/api-library';
import { Producer } from 'kafkajs';
import { Pool } from 'pg';
import Stripe from 'stripe';
import {
  EventOf,
  PaymentIntentObject,
  RefundObject,
  TOPICS,
  createEvent,
  validateEvent,
  type EventType,
} from '@payflow/contracts';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { KafkaInboxServer, createKafka } from '@payflow/platform/messaging';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import { runWebhooks } from '../src/run-webhooks';
import { WebhooksConfig } from '../src/webhooks.config';

export const TOKEN = 'webhooks-test-internal-token';
export const STRIPE_SECRET = 'whsec_test_stripe_0123456789abcdef';
/** 32 bytes of hex, like the key Adyen's Customer Area shows. */
export const ADYEN_HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

export const newMerchant = () => `mer_${randomBytes(6).toString('hex')}`;
export const newIntentId = () => `pi_${randomBytes(12).toString('hex')}`;
export const newRefundId = () => `re_${randomBytes(12).toString('hex')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpAnswer {
  status: number;
  text: string;
  body: Json;
  headers: Headers;
}

type AdyenItem = Types.notification.NotificationRequestItem;

/**
 * The webhooks service started in-process on port 0 with real Postgres and Kafka: its internal API
 * and PSP routes called with fetch, intents played by publishing `payment_intent.*` / `refund.*`
 * events on the intents topic, and the service's own rows read through its role.
 */
export class WebhooksFixture {
  app!: INestApplication;
  url!: string;
  config!: WebhooksConfig;
  producer!: Producer;
  db!: Pool;

  async start(env: Record<string, string> = {}): Promise<void> {
    this.config = loadConfig(WebhooksConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      STRIPE_WEBHOOK_SECRET: STRIPE_SECRET,
      ADYEN_HMAC_KEY,
      CONSUMER_RETRY_BACKOFF_MS: '100',
      // Deliveries must go out on the commit and retry wake-ups, not on this (slow) fallback poll.
      WEBHOOK_DELIVERY_POLL_MS: '5000',
      ...env,
    });
    this.app = await runWebhooks(this.config, { port: 0 });
    this.url = (await this.app.getUrl()).replace('[::1]', 'localhost');
    this.db = new Pool({ connectionString: serviceDatabaseUrl('webhooks'), max: 4 });
    // An idle client the server drops (a test that stops or terminates Postgres) must not crash Jest.
    this.db.on('error', () => undefined);
    this.producer = createKafka('webhooks-test', kafkaBrokers()).producer();
    await this.producer.connect();
    await waitFor(() => this.app.get(KafkaInboxServer).isReady(), { what: 'webhooks consumer assigned' });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.db?.end();
    await this.app?.close();
  }

  async call(
    method: string,
    path: string,
    options: {
      merchant?: string;
      body?: unknown;
      rawBody?: string | Buffer;
      headers?: Record<string, string>;
      token?: string | null;
    } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== null) headers['x-internal-token'] ??= options.token ?? TOKEN;
    if (options.merchant) headers['x-merchant-id'] = options.merchant;
    let body: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: Json;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, text, body: parsed, headers: response.headers };
  }

  // ── PSP webhooks ───────────────────────────────────────────────────────────────────────────────

  /** A Stripe event as Stripe sends it, about a payment intent carrying PayFlow's metadata. */
  stripeEvent(
    type: string,
    options: { intentId?: string | null; amount?: number; id?: string } = {},
  ): Record<string, unknown> {
    const metadata: Record<string, string> = {};
    if (options.intentId !== null) metadata['payflow_intent_id'] = options.intentId ?? newIntentId();
    metadata['payflow_attempt_id'] = `att_${randomBytes(6).toString('hex')}`;
    const amount = options.amount ?? 10_000;
    return {
      id: options.id ?? `evt_${randomBytes(12).toString('hex')}`,
      object: 'event',
      api_version: '2025-01-27.acacia',
      created: Math.floor(Date.now() / 1000),
      type,
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      data: {
        object: {
          id: `pi_3${randomBytes(10).toString('hex')}`,
          object: 'payment_intent',
          amount,
          amount_capturable: type === 'payment_intent.amount_capturable_updated' ? amount : 0,
          amount_received: type === 'payment_intent.succeeded' ? amount : 0,
          currency: 'usd',
          status: type === 'payment_intent.succeeded' ? 'succeeded' : 'requires_capture',
          capture_method: 'manual',
          metadata,
          last_payment_error: null,
        },
      },
    };
  }

  /** Signed with the official SDK's own test helper, as Stripe would sign it. */
  stripeSignature(payload: string, options: { secret?: string; timestamp?: number } = {}): string {
    return Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? STRIPE_SECRET,
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
    });
  }

  postStripe(payload: string, signature?: string): Promise<HttpAnswer> {
    return this.call('POST', '/webhooks/stripe', {
      token: null,
      rawBody: payload,
      headers: signature === undefined ? {} : { 'stripe-signature': signature },
    });
  }

  /** An Adyen notification item; signed with the SDK's hmacValidator unless `sign` is false. */
  adyenItem(
    eventCode: string,
    options: {
      intentId?: string | null;
      success?: boolean;
      value?: number;
      pspReference?: string;
      originalReference?: string;
      hmacKey?: string;
      sign?: boolean;
    } = {},
  ): AdyenItem {
    const additionalData: Record<string, string> = {};
    if (options.intentId !== null)
      additionalData['metadata.payflow_intent_id'] = options.intentId ?? newIntentId();
    const item = {
      amount: { currency: 'EUR', value: options.value ?? 10_000 },
      eventCode,
      eventDate: new Date().toISOString(),
      merchantAccountCode: 'PayFlowTest',
      merchantReference: `att_${randomBytes(6).toString('hex')}`,
      pspReference: options.pspReference ?? randomBytes(8).toString('hex').toUpperCase(),
      ...(options.originalReference ? { originalReference: options.originalReference } : {}),
      success: String(options.success ?? true),
      additionalData,
    } as unknown as AdyenItem;
    if (options.sign === false) return item;
    const hmacSignature = new hmacValidator().calculateHmac(item, options.hmacKey ?? ADYEN_HMAC_KEY);
    return { ...item, additionalData: { ...additionalData, hmacSignature } } as AdyenItem;
  }

  postAdyen(items: AdyenItem[]): Promise<HttpAnswer> {
    const body = JSON.stringify({
      live: 'false',
      notificationItems: items.map((item) => ({ NotificationRequestItem: item })),
    });
    return this.call('POST', '/webhooks/adyen', { token: null, rawBody: body });
  }

  async receivedRows(provider: string, pspEventId: string): Promise<Json[]> {
    const { rows } = await this.db.query(
      `SELECT * FROM received_psp_events WHERE provider = $1 AND psp_event_id = $2`,
      [provider, pspEventId],
    );
    return rows;
  }

  /** The webhooks outbox rows of normalized notifications about this PSP event. */
  async notificationsInOutbox(pspEventId: string): Promise<{ key: string; topic: string; event: Json }[]> {
    const { rows } = await this.db.query(
      `SELECT message_key, topic, payload FROM outbox
        WHERE event_type = 'psp.notification_received' AND payload->'data'->>'psp_event_id' = $1 ORDER BY id`,
      [pspEventId],
    );
    return rows.map((row) => ({ key: row.message_key, topic: row.topic, event: row.payload }));
  }

  // ── Intents events (the merchant side) ──────────────────────────────────────────────────────────

  intent(merchantId: string, overrides: Partial<PaymentIntentObject> = {}): PaymentIntentObject {
    const now = new Date().toISOString();
    return {
      id: newIntentId(),
      object: 'payment_intent',
      merchant_id: merchantId,
      amount: 10_000,
      currency: 'USD',
      status: 'created',
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

  refund(intent: PaymentIntentObject, overrides: Partial<RefundObject> = {}): RefundObject {
    return {
      id: newRefundId(),
      object: 'refund',
      payment_intent: intent.id,
      amount: 5_000,
      currency: intent.currency,
      status: 'pending',
      reason: null,
      created: new Date().toISOString(),
      ...overrides,
    };
  }

  /** An intents event about `intent` with the step's own fields, as intents publishes it. */
  intentsEvent<T extends EventType>(
    type: T,
    intent: PaymentIntentObject,
    data: Record<string, unknown> = {},
    options: { version?: number; occurredAt?: Date } = {},
  ): EventOf<T> {
    const extra: Record<string, Record<string, unknown>> = {
      'payment_intent.authorized': { provider: 'stripe', amount_authorized: intent.amount },
      'payment_intent.captured': {
        provider: 'stripe',
        amount_captured: intent.amount,
        fee_bps: 290,
        fee_fixed: 30,
      },
      'payment_intent.authorization_failed': {
        provider: 'stripe',
        code: 'card_declined',
        decline_code: 'generic_decline',
        message: 'declined',
      },
      'payment_intent.capture_requested': { provider: 'stripe', amount: intent.amount },
      'payment_intent.canceled': { provider: null, reason: null },
    };
    const isRefund = type.startsWith('refund.');
    return createEvent({
      type,
      source: 'intents',
      aggregate_type: isRefund ? 'refund' : 'payment_intent',
      aggregate_id: isRefund ? (data['refund'] as RefundObject).id : intent.id,
      aggregate_version: options.version ?? 1,
      merchant_id: intent.merchant_id,
      occurred_at: (options.occurredAt ?? new Date()).toISOString(),
      correlation_id: `req_${randomBytes(4).toString('hex')}`,
      data: isRefund
        ? { provider: 'stripe', amount: (data['refund'] as RefundObject).amount, reason: null, ...data }
        : { intent, ...extra[type], ...data },
    } as Parameters<typeof createEvent<T>>[0]) as EventOf<T>;
  }

  /** Publishes on the intents topic, keyed by the intent id like every payment event. */
  async publish(...events: EventOf<EventType>[]): Promise<void> {
    for (const event of events) expect(validateEvent(event)).toMatchObject({ ok: true });
    await this.producer.send({
      topic: wireTopic(TOPICS.intents),
      messages: events.map((event) => {
        const data = event.data as { intent?: PaymentIntentObject; refund?: RefundObject };
        return {
          key: data.intent?.id ?? data.refund?.payment_intent ?? event.aggregate_id,
          value: JSON.stringify(event),
          headers: { 'event-id': event.id, 'event-type': event.type },
        };
      }),
    });
  }

  // ── Merchant endpoints ──────────────────────────────────────────────────────────────────────────

  async createEndpoint(merchant: string, body: Record<string, unknown>): Promise<Json> {
    const answer = await this.call('POST', '/internal/v1/webhook_endpoints', { merchant, body });
    if (answer.status !== 201) throw new Error(`endpoint not created: ${answer.status} ${answer.text}`);
    return answer.body;
  }

  async deliveries(merchant: string, endpointId: string): Promise<Json[]> {
    const answer = await this.call(
      'GET',
      `/internal/v1/webhook_endpoints/${endpointId}/deliveries?limit=100`,
      { merchant },
    );
    expect(answer.status).toBe(200);
    return answer.body.data;
  }
}

/** One request a test receiver got, with the time it arrived. */
export interface ReceivedWebhook {
  at: number;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type ReceiverAnswer = { status: number; body?: string } | 'hang';

/**
 * A merchant's webhook endpoint played by node:http on 127.0.0.1: records every request and answers
 * what the test says (a status, or 'hang' to play a slow endpoint until `release()`).
 */
export class TestReceiver {
  readonly received: ReceivedWebhook[] = [];
  private server!: Server;
  private hanging: (() => void)[] = [];
  url!: string;

  constructor(
    private answer: (request: ReceivedWebhook, index: number) => ReceiverAnswer = () => ({ status: 200 }),
  ) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const request: ReceivedWebhook = {
          at: Date.now(),
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        };
        this.received.push(request);
        const answer = this.answer(request, this.received.length - 1);
        if (answer === 'hang') {
          this.hanging.push(() => res.writeHead(200).end('ok'));
          return;
        }
        res.writeHead(answer.status, { 'content-type': 'text/plain' }).end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
    return this;
  }

  /** Answers every hanging request (200) and stops hanging from now on. */
  release(): void {
    this.answer = () => ({ status: 200 });
    for (const answer of this.hanging.splice(0)) answer();
  }

  async stop(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Requests received for an event id (deliveries carry it in the body). */
  forEvent(eventId: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.body.includes(`"${eventId}"`));
  }
}

export { waitFor };
