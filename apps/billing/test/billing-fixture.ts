import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import type { Clock } from '@payflow/platform/clock';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { BillingConfig } from '../src/billing.config';
import { runBilling } from '../src/run-billing';

export const TOKEN = 'billing-core-test-internal-token';

export const newMerchant = () => `mer_${randomBytes(8).toString('hex')}`;
export const newKey = () => `key-${randomBytes(8).toString('hex')}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

/**
 * The billing service started in-process on port 0 with real Postgres and Kafka (runBilling, as
 * main.ts does), its internal API called with fetch as the gateway calls it, and the billing role's
 * own connection to read rows.
 */
export class BillingFixture {
  app!: INestApplication;
  url!: string;
  db!: Pool;

  async start(options: { env?: Record<string, string>; clock?: Clock } = {}): Promise<void> {
    const config = loadConfig(BillingConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      CONSUMER_RETRY_BACKOFF_MS: '100',
      ...options.env,
    });
    this.app = await runBilling(config, { port: 0, clock: options.clock });
    this.url = (await this.app.getUrl()).replace('[::1]', 'localhost');
    this.db = new Pool({ connectionString: serviceDatabaseUrl('billing'), max: 3 });
    this.db.on('error', () => undefined);
  }

  async stop(): Promise<void> {
    await this.db?.end();
    await this.app?.close();
  }

  async call(
    method: string,
    path: string,
    options: { merchant?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-internal-token': TOKEN,
      ...options.headers,
    };
    if (options.merchant) headers['x-merchant-id'] = options.merchant;
    const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    const response = await fetch(`${this.url}/internal/v1${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: Json = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  post(merchant: string, path: string, body: unknown = {}, key?: string): Promise<HttpAnswer> {
    return this.call('POST', path, { merchant, body, headers: key ? { 'idempotency-key': key } : {} });
  }

  get(merchant: string, path: string): Promise<HttpAnswer> {
    return this.call('GET', path, { merchant });
  }

  async createCustomer(merchant: string, body: Record<string, unknown> = { payment_method: 'pm_card_visa' }): Promise<Json> {
    const answer = await this.post(merchant, '/customers', body);
    expect(answer).toMatchObject({ status: 201 });
    return answer.body;
  }

  async createPrice(merchant: string, body: Record<string, unknown> = {}): Promise<Json> {
    const answer = await this.post(merchant, '/prices', {
      currency: 'usd',
      unit_amount: 2000,
      recurring: { interval: 'month' },
      ...body,
    });
    expect(answer).toMatchObject({ status: 201 });
    return answer.body;
  }

  /** Rows of a billing table for one merchant (`merchant_id` column), to prove nothing was written. */
  async count(table: string, merchant: string): Promise<number> {
    const { rows } = await this.db.query(`SELECT count(*)::int AS n FROM ${table} WHERE merchant_id = $1`, [merchant]);
    return rows[0].n;
  }

  /** Outbox events of one Kafka key (a subscription or customer id), oldest first. */
  async outboxOf(key: string): Promise<{ type: string; event: Json }[]> {
    const { rows } = await this.db.query(
      `SELECT event_type, payload FROM outbox WHERE message_key = $1 ORDER BY id`,
      [key],
    );
    return rows.map((row) => ({ type: row.event_type, event: row.payload }));
  }

  async outboxCountOfMerchant(merchant: string): Promise<number> {
    const { rows } = await this.db.query(
      `SELECT count(*)::int AS n FROM outbox WHERE payload->>'merchant_id' = $1`,
      [merchant],
    );
    return rows[0].n;
  }
}
