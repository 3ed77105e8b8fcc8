import type { INestApplication } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { loadConfig, serviceDatabaseUrl } from '@payflow/platform/config';
import { createServiceDataSource } from '@payflow/platform/database';
import { GatewayConfig } from '../src/config/gateway.config';
import { runGateway } from '../src/run-gateway';
import { FakeUpstream } from './fake-upstream';

export const ADMIN_KEY = 'gateway-test-admin-key-0123456789';
export const INTERNAL_TOKEN = 'gateway-test-internal-token-0123';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface CreatedMerchant {
  id: string;
  api_key: string;
}

/**
 * A gateway started in-process on port 0 against the real Postgres and Redis, with fake intents,
 * ledger, webhooks, billing and dunning services it forwards to. Its Redis keys live under a prefix of their own,
 * removed at the end, so suites never see each other's keys nor anybody else's.
 */
export class GatewayFixture {
  app!: INestApplication;
  url!: string;
  config!: GatewayConfig;
  redis!: Redis;
  db!: DataSource;
  readonly intents = new FakeUpstream();
  readonly ledger = new FakeUpstream();
  readonly webhooks = new FakeUpstream();
  readonly billing = new FakeUpstream();
  readonly dunning = new FakeUpstream();
  readonly redisPrefix = `payflow:gw:test:${randomBytes(4).toString('hex')}:`;

  async start(overrides: Record<string, string> = {}): Promise<this> {
    await Promise.all(this.upstreams().map((upstream) => upstream.start()));
    this.config = loadConfig(GatewayConfig, {
      ...process.env,
      LOG_LEVEL: 'warn',
      ADMIN_API_KEY: ADMIN_KEY,
      INTERNAL_API_TOKEN: INTERNAL_TOKEN,
      API_KEY_HASH_SECRET: 'gateway-test-hash-secret-0123456789',
      REDIS_KEY_PREFIX: this.redisPrefix,
      INTENTS_URL: this.intents.url,
      LEDGER_URL: this.ledger.url,
      WEBHOOKS_URL: this.webhooks.url,
      BILLING_URL: this.billing.url,
      DUNNING_URL: this.dunning.url,
      ...overrides,
    });
    this.app = await runGateway(this.config, { port: 0 });
    this.url = (await this.app.getUrl()).replace('[::1]', 'localhost');
    this.redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    this.db = await createServiceDataSource({
      service: 'gateway',
      url: serviceDatabaseUrl('gateway'),
      poolMax: 2,
    }).initialize();
    return this;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    if (this.redis) {
      // SCAN, not KEYS: the Redis is shared, and only this fixture's own keys are removed.
      for await (const keys of this.redis.scanStream({ match: `${this.redisPrefix}*`, count: 500 })) {
        if ((keys as string[]).length) await this.redis.del(...(keys as string[]));
      }
      this.redis.disconnect();
    }
    await this.db?.destroy();
    await Promise.all(this.upstreams().map((upstream) => upstream.stop()));
  }

  private upstreams(): FakeUpstream[] {
    return [this.intents, this.ledger, this.webhooks, this.billing, this.dunning];
  }

  async request(
    method: string,
    path: string,
    options: {
      key?: string;
      body?: unknown;
      rawBody?: string | Buffer;
      headers?: Record<string, string>;
    } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.key !== undefined) headers['authorization'] = `Bearer ${options.key}`;
    let body: string | Buffer | undefined = options.rawBody;
    if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.url}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  }

  /** A new merchant through the admin API; every test uses its own. */
  async createMerchant(body: Record<string, unknown> = {}): Promise<CreatedMerchant> {
    const answer = await this.request('POST', '/admin/merchants', {
      key: ADMIN_KEY,
      body: { name: 'Test merchant', ...body },
    });
    if (answer.status !== 201) throw new Error(`merchant not created: ${answer.status} ${answer.text}`);
    return answer.body;
  }
}

/** A created payment intent as the fake intents answers it. */
export function fakeIntent(merchantId: string, body: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: `pi_${randomBytes(12).toString('hex')}`,
    object: 'payment_intent',
    merchant_id: merchantId,
    amount: body['amount'] ?? 1000,
    currency: body['currency'] ?? 'USD',
    status: 'created',
  };
}
