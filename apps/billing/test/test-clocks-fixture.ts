import { randomBytes } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Pool } from 'pg';
import { Clock } from '@payflow/platform/clock';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { runService } from '@payflow/platform/service';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { BillingAppModule } from '../src/app.module';
import { BillingConfig } from '../src/billing.config';

export const TOKEN = 'billing-test-clocks-internal-token';

export const newMerchant = () => `mer_${randomBytes(6).toString('hex')}`;
export const newKey = () => `key-${randomBytes(8).toString('hex')}`;
export const seconds = (iso: string) => Date.parse(iso) / 1000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface HttpAnswer {
  status: number;
  body: Json;
  headers: Headers;
}

/**
 * The billing service started in-process on port 0 with real Postgres and Kafka, its internal API
 * called with fetch. `configure` runs before the app starts (before the advance runner's first
 * pass), so a test registers its scheduled-work handlers and gates in time.
 */
export class TestClocksFixture {
  app!: INestApplication;
  url!: string;
  /** The billing role's own connection, to read and arrange rows. */
  db!: Pool;

  async start(
    options: {
      env?: Record<string, string>;
      clock?: Clock;
      configure?: (app: NestExpressApplication) => void;
    } = {},
  ): Promise<void> {
    const config = loadConfig(BillingConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: TOKEN,
      LOG_LEVEL: 'warn',
      TEST_CLOCK_POLL_INTERVAL_MS: '50',
      CONSUMER_RETRY_BACKOFF_MS: '100',
      ...options.env,
    });
    this.app = await runService(BillingAppModule.forRoot(config, options.clock), {
      service: 'billing',
      port: 0,
      configure: options.configure,
    });
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
    options: { merchant?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-internal-token': TOKEN,
      ...options.headers,
    };
    if (options.merchant) headers['x-merchant-id'] = options.merchant;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
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

  async createClock(merchant: string, frozenTime: string, name?: string): Promise<Json> {
    const answer = await this.call('POST', '/test_clocks', {
      merchant,
      body: { frozen_time: seconds(frozenTime), ...(name ? { name } : {}) },
    });
    expect(answer.status).toBe(201);
    return answer.body;
  }

  advance(merchant: string, clockId: string, frozenTime: string | number): Promise<HttpAnswer> {
    return this.call('POST', `/test_clocks/${clockId}/advance`, {
      merchant,
      body: { frozen_time: typeof frozenTime === 'number' ? frozenTime : seconds(frozenTime) },
    });
  }

  async clockRow(id: string): Promise<Json> {
    const { rows } = await this.db.query(`SELECT * FROM test_clocks WHERE id = $1`, [id]);
    return rows[0];
  }

  /** A customer row on `clockId` (or on the wall clock), written directly: the clock tests need no more. */
  async insertCustomer(merchant: string, clockId: string | null): Promise<string> {
    const id = `cus_${randomBytes(12).toString('hex')}`;
    await this.db.query(
      `INSERT INTO customers (id, merchant_id, test_clock_id, created_at, updated_at) VALUES ($1, $2, $3, now(), now())`,
      [id, merchant, clockId],
    );
    return id;
  }

  /** The clock's `test_clock.advanced` events in the outbox, oldest first. */
  async advancedEvents(clockId: string): Promise<{ key: string; event: Json }[]> {
    const { rows } = await this.db.query(
      `SELECT message_key, payload FROM outbox WHERE message_key = $1 AND event_type = 'test_clock.advanced' ORDER BY id`,
      [clockId],
    );
    return rows.map((row) => ({ key: row.message_key, event: row.payload }));
  }
}
