import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { EventDataOf, EventOf, EventType, PaymentIntentObject, createEvent } from '@payflow/contracts';
import { TestClock } from '@payflow/platform/clock';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { Tx, inTransaction } from '@payflow/platform/database';
import { runService } from '@payflow/platform/service';
import { BillingAppModule } from '../src/app.module';
import { BillingConfig } from '../src/billing.config';

export const TOKEN = 'billing-invoices-internal-token';
export const START = new Date('2026-01-01T00:00:00Z');

export const newMerchant = () => `mer_${randomBytes(8).toString('hex')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/**
 * The billing service in-process on port 0 (real Postgres and Kafka) with a TestClock as the
 * platform clock, so wall-clock customers' time moves only when a test moves it. The internal API
 * is called with fetch; services are reached with `get` to run their work in real transactions.
 */
export class InvoicesFixture {
  app!: INestApplication;
  url!: string;
  db!: Pool;
  readonly clock = new TestClock(START);

  async start(): Promise<void> {
    const config = loadConfig(BillingConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: TOKEN,
      LOG_LEVEL: 'error',
      CONSUMER_RETRY_BACKOFF_MS: '100',
    });
    this.app = await runService(BillingAppModule.forRoot(config, this.clock), { service: 'billing', port: 0 });
    this.url = (await this.app.getUrl()).replace('[::1]', 'localhost');
    this.db = new Pool({ connectionString: serviceDatabaseUrl('billing'), max: 4 });
    this.db.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    await this.db?.end();
    await this.app?.close();
  }

  get<T>(type: new (...args: never[]) => T): T {
    return this.app.get(type, { strict: false });
  }

  tx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    return inTransaction(this.app.get(DataSource), work);
  }

  async call(method: string, path: string, merchant: string, body?: unknown): Promise<{ status: number; body: Json }> {
    const response = await fetch(`${this.url}/internal/v1${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'x-internal-token': TOKEN, 'x-merchant-id': merchant },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  async ok(method: string, path: string, merchant: string, body?: unknown): Promise<Json> {
    const answer = await this.call(method, path, merchant, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  price(merchant: string, unitAmount: number, interval: 'day' | 'month' = 'month'): Promise<Json> {
    return this.ok('POST', '/prices', merchant, { currency: 'USD', unit_amount: unitAmount, recurring: { interval, interval_count: 1 } });
  }

  customer(merchant: string, paymentMethod: string | null = 'pm_card_visa'): Promise<Json> {
    return this.ok('POST', '/customers', merchant, paymentMethod ? { payment_method: paymentMethod } : {});
  }

  subscribe(merchant: string, customer: string, price: string, quantity = 1): Promise<Json> {
    return this.ok('POST', '/subscriptions', merchant, { customer, items: [{ price, quantity }] });
  }

  async invoicesOf(subscriptionId: string): Promise<Json[]> {
    const { rows } = await this.db.query(`SELECT * FROM invoices WHERE subscription_id = $1 ORDER BY period_start, id`, [subscriptionId]);
    return rows;
  }

  async outboxOf(aggregateId: string, type?: string): Promise<Json[]> {
    const { rows } = await this.db.query(
      `SELECT payload FROM outbox WHERE payload->>'aggregate_id' = $1 AND ($2::text IS NULL OR event_type = $2) ORDER BY id`,
      [aggregateId, type ?? null],
    );
    return rows.map((row) => row.payload);
  }

  async countRows(sql: string, params: unknown[]): Promise<number> {
    const { rows } = await this.db.query(sql, params);
    return Number(rows[0].n);
  }
}

/** The public intent of an invoice's payment, as intents would publish it. */
export function invoiceIntent(merchant: string, invoice: string, amount: number, overrides: Partial<PaymentIntentObject> = {}): PaymentIntentObject {
  return {
    id: `pi_${randomBytes(12).toString('hex')}`,
    object: 'payment_intent',
    merchant_id: merchant,
    amount,
    currency: 'USD',
    status: 'captured',
    capture_method: 'automatic',
    amount_capturable: 0,
    amount_received: amount,
    amount_refunded: 0,
    payment_method: 'pm_card_visa',
    provider: 'stripe',
    last_error: null,
    description: null,
    invoice,
    metadata: {},
    created: START.toISOString(),
    updated: START.toISOString(),
    ...overrides,
  };
}

/** An intents event as the inbox would hand it to a handler. */
export function intentsEvent<T extends EventType>(type: T, merchant: string, aggregateId: string, data: EventDataOf<T>): EventOf<T> {
  return createEvent({
    type,
    id: randomUUID(),
    source: 'intents',
    aggregate_type: 'payment_intent',
    aggregate_id: aggregateId,
    aggregate_version: 1,
    merchant_id: merchant,
    correlation_id: 'req_test',
    causation_id: null,
    data,
  }) as EventOf<T>;
}
