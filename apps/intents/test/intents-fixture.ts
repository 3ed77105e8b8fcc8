import { createHash, randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { EventOf, PaymentIntentObject, TOPICS, createEvent, validateEvent } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { inTransaction } from '@payflow/platform/database';
import { InboxContext, InboxStore, KafkaInboxServer, createKafka } from '@payflow/platform/messaging';
import { runService } from '@payflow/platform/service';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import { DataSource } from 'typeorm';
import { IntentsAppModule } from '../src/app.module';
import { IntentsConfig } from '../src/intents.config';
import { PaymentResultsConsumer } from '../src/results/payment-results.consumer';
import { ResultType } from '../src/results/payment-results';

export const TOKEN = 'intents-test-internal-token';

export const newMerchant = () => `mer_${randomBytes(6).toString('hex')}`;
export const newKey = () => `key-${randomBytes(8).toString('hex')}`;
export const fingerprintOf = (text: string) => createHash('sha256').update(text).digest('hex');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

export interface CallOptions {
  merchant?: string | null;
  body?: unknown;
  /** Sent as is (malformed JSON, oversized bodies). */
  rawBody?: string;
  headers?: Record<string, string>;
  token?: string | null;
}

type IntentRef = Pick<PaymentIntentObject, 'id' | 'merchant_id' | 'amount' | 'currency'>;

/**
 * The intents service started in-process on port 0 with real Postgres and Kafka, its internal
 * API called with fetch, and the orchestrator played by publishing `payment.*` events.
 */
export class IntentsFixture {
  app!: INestApplication;
  url!: string;
  producer!: Producer;
  /** The intents role's own connection, to count rows and read the outbox. */
  db!: Pool;

  async start(env: Record<string, string> = {}, clock?: Clock): Promise<void> {
    const config = loadConfig(IntentsConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      SYNC_WAIT_MS: '300',
      CONSUMER_RETRY_BACKOFF_MS: '100',
      ...env,
    });
    this.app = await runService(IntentsAppModule.forRoot(config, clock), { service: 'intents', port: 0 });
    this.url = (await this.app.getUrl()).replace('[::1]', 'localhost');
    this.db = new Pool({ connectionString: serviceDatabaseUrl('intents'), max: 4 });
    // An idle client the server drops (a test that stops or terminates Postgres) must not crash Jest.
    this.db.on('error', () => undefined);
    this.producer = createKafka('intents-e2e', kafkaBrokers()).producer();
    await this.producer.connect();
    await waitFor(() => this.app.get(KafkaInboxServer).isReady(), { what: 'intents consumer assigned' });
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
    await this.db?.end();
    await this.app?.close();
  }

  async call(method: string, path: string, options: CallOptions = {}): Promise<HttpAnswer> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token !== null) headers['x-internal-token'] = options.token ?? TOKEN;
    if (options.merchant) headers['x-merchant-id'] = options.merchant;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  post(
    path: string,
    merchant: string,
    body: unknown = {},
    headers: Record<string, string> = {},
  ): Promise<HttpAnswer> {
    return this.call('POST', `/internal/v1/payment_intents${path}`, { merchant, body, headers });
  }

  get(path: string, merchant: string): Promise<HttpAnswer> {
    return this.call('GET', `/internal/v1/payment_intents${path}`, { merchant });
  }

  async createIntent(merchant: string, body: Record<string, unknown> = {}): Promise<PaymentIntentObject> {
    const answer = await this.post('', merchant, {
      amount: 10_000,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      ...body,
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  async status(intentId: string): Promise<string> {
    const { rows } = await this.db.query(`SELECT status FROM payment_intents WHERE id = $1`, [intentId]);
    return rows[0]?.status;
  }

  async waitForStatus(intentId: string, status: string): Promise<void> {
    await waitFor(async () => (await this.status(intentId)) === status, {
      what: `${intentId} to be ${status}`,
      intervalMs: 10,
    });
  }

  /** An orchestrator result about `intent`, as the orchestrator will publish it. */
  result<T extends ResultType>(
    type: T,
    intent: IntentRef,
    data: Partial<EventOf<T>['data']> = {},
  ): EventOf<T> {
    return createEvent({
      type,
      source: 'orchestrator',
      aggregate_type: 'attempt',
      aggregate_id: `att_${randomBytes(6).toString('hex')}`,
      aggregate_version: 1,
      merchant_id: intent.merchant_id,
      correlation_id: `corr_${intent.id}`,
      data: {
        intent_id: intent.id,
        attempt_id: `att_${randomBytes(6).toString('hex')}`,
        provider: 'stripe',
        psp_reference: `ch_${randomBytes(6).toString('hex')}`,
        amount: intent.amount,
        currency: intent.currency,
        code: null,
        decline_code: null,
        message: null,
        ...data,
      },
    } as Parameters<typeof createEvent<T>>[0]) as EventOf<T>;
  }

  /** Publishes results on the orchestrator's topic, keyed by the intent id like every payment event. */
  async publish(...events: EventOf<ResultType>[]): Promise<void> {
    for (const event of events) expect(validateEvent(event)).toMatchObject({ ok: true });
    await this.producer.send({
      topic: wireTopic(TOPICS.orchestrator),
      messages: events.map((event) => ({
        key: event.data.intent_id,
        value: JSON.stringify(event),
        headers: { 'event-id': event.id, 'event-type': event.type },
      })),
    });
  }

  /** Applies a result as the inbox transport does (inbox row + handler in one transaction), without Kafka. */
  async applyThroughConsumer(event: EventOf<ResultType>): Promise<void> {
    const consumer = this.app.get(PaymentResultsConsumer);
    const handlers: Record<ResultType, keyof PaymentResultsConsumer> = {
      'payment.authorized': 'authorized',
      'payment.authorization_failed': 'authorizationFailed',
      'payment.captured': 'captured',
      'payment.capture_failed': 'captureFailed',
      'payment.canceled': 'canceled',
      'payment.cancel_failed': 'cancelFailed',
      'payment.refunded': 'refunded',
      'payment.refund_failed': 'refundFailed',
      'payment.capture_reversed': 'captureReversed',
      'payment.refund_reversed': 'refundReversed',
      'payment.late_success': 'lateSuccess',
      'payment.late_success_reversed': 'lateSuccessReversed',
    };
    const inbox = new InboxStore('intents', 'intents');
    await inTransaction(this.app.get(DataSource), async (tx) => {
      if ((await inbox.claim(tx, [event])).length === 0) return;
      const meta = { topic: TOPICS.orchestrator, partition: 0, offset: '0', consumer: 'intents' };
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      await (consumer[handlers[event.type as ResultType]] as any).call(
        consumer,
        event,
        new InboxContext([tx, meta]),
      );
    });
  }

  /**
   * Authorizes an intent and plays the orchestrator: the result is published while the request
   * waits, so the answer is 200 if Kafka delivers within SYNC_WAIT_MS, else 202; either way the
   * intent ends `authorized` (or what `result` says).
   */
  async authorize(intent: IntentRef, result?: EventOf<ResultType>, body: unknown = {}): Promise<HttpAnswer> {
    const pending = this.post(`/${intent.id}/authorize`, intent.merchant_id, body);
    await this.waitForStatus(intent.id, 'authorizing');
    await this.publish(result ?? this.result('payment.authorized', intent));
    return pending;
  }

  async authorized(merchant: string, body: Record<string, unknown> = {}): Promise<PaymentIntentObject> {
    const intent = await this.createIntent(merchant, body);
    await this.authorize(intent);
    await this.waitForStatus(intent.id, 'authorized');
    return (await this.get(`/${intent.id}`, merchant)).body;
  }

  async captured(merchant: string, body: Record<string, unknown> = {}): Promise<PaymentIntentObject> {
    const intent = await this.authorized(merchant, body);
    const pending = this.post(`/${intent.id}/capture`, merchant);
    await this.waitForStatus(intent.id, 'capturing');
    await this.publish(this.result('payment.captured', intent));
    await pending;
    await this.waitForStatus(intent.id, 'captured');
    return (await this.get(`/${intent.id}`, merchant)).body;
  }

  async count(sql: string, params: unknown[] = []): Promise<number> {
    const { rows } = await this.db.query(`SELECT count(*)::int AS n FROM ${sql}`, params);
    return rows[0].n;
  }

  /** Everything this intent's writes put in the outbox, oldest first. */
  async outbox(intentId: string): Promise<{ type: string; key: string; event: Json }[]> {
    const { rows } = await this.db.query(
      `SELECT event_type, message_key, payload FROM outbox WHERE message_key = $1 ORDER BY id`,
      [intentId],
    );
    return rows.map((row) => ({ type: row.event_type, key: row.message_key, event: row.payload }));
  }

  /** The intent's refunds as [id, status], newest first. */
  async refunds(intentId: string): Promise<[string, string][]> {
    const { rows } = await this.db.query(
      `SELECT id, status FROM refunds WHERE payment_intent_id = $1 ORDER BY created_at DESC, id DESC`,
      [intentId],
    );
    return rows.map((row) => [row.id, row.status]);
  }

  async history(
    intentId: string,
  ): Promise<{ from_status: string | null; to_status: string; trigger: string }[]> {
    const { rows } = await this.db.query(
      `SELECT from_status, to_status, trigger FROM payment_intent_history WHERE intent_id = $1 ORDER BY id`,
      [intentId],
    );
    return rows;
  }

  /** Row counts of every table a write touches, to prove a refused request wrote nothing. */
  async snapshot(merchant: string): Promise<Record<string, number>> {
    return {
      intents: await this.count(`payment_intents WHERE merchant_id = $1`, [merchant]),
      history: await this.count(
        `payment_intent_history h JOIN payment_intents p ON p.id = h.intent_id WHERE p.merchant_id = $1`,
        [merchant],
      ),
      refunds: await this.count(`refunds WHERE merchant_id = $1`, [merchant]),
      outbox: await this.count(`outbox WHERE payload->>'merchant_id' = $1`, [merchant]),
      idempotency: await this.count(`idempotency_records WHERE merchant_id = $1`, [merchant]),
    };
  }
}
