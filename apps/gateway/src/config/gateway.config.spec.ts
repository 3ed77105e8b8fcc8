import { loadConfig } from '@payflow/platform/config';
import { GatewayConfig } from './gateway.config';

const valid = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/payflow',
  KAFKA_BROKERS: '127.0.0.1:9092',
  REDIS_URL: 'redis://127.0.0.1:6379',
  INTERNAL_API_TOKEN: 'internal-token-0123456789',
  ADMIN_API_KEY: 'admin-key-0123456789',
  API_KEY_HASH_SECRET: 'hash-secret-0123456789',
};

const problemsOf = (env: Record<string, string>): string => {
  try {
    loadConfig(GatewayConfig, env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('GatewayConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig(GatewayConfig, valid);
    expect(config).toMatchObject({
      API_PORT: 8080,
      API_TIMEOUT: 10_000,
      SYNC_WAIT_MS: 5_000,
      RATE_LIMIT_PER_SECOND: 100,
      RATE_LIMIT_BURST: 200,
      INTENTS_URL: 'http://localhost:8081',
      LEDGER_URL: 'http://localhost:8083',
      WEBHOOKS_URL: 'http://localhost:8084',
      BILLING_URL: 'http://localhost:8085',
      DUNNING_URL: 'http://127.0.0.1:8086',
      REDIS_KEY_PREFIX: 'payflow:gw:',
    });
  });

  it("reads API_TIMEOUT in the seed's format or in milliseconds", () => {
    expect(loadConfig(GatewayConfig, { ...valid, API_TIMEOUT: '30s' }).API_TIMEOUT).toBe(30_000);
    expect(loadConfig(GatewayConfig, { ...valid, API_TIMEOUT: '12000' }).API_TIMEOUT).toBe(12_000);
    expect(problemsOf({ ...valid, API_TIMEOUT: 'soon' })).toMatch(/API_TIMEOUT must be a duration/);
  });

  it('refuses SYNC_WAIT_MS not below API_TIMEOUT, naming both', () => {
    expect(problemsOf({ ...valid, API_TIMEOUT: '5s', SYNC_WAIT_MS: '5000' })).toMatch(
      /SYNC_WAIT_MS must be below API_TIMEOUT \(5000 ms\)/,
    );
    expect(problemsOf({ ...valid, API_TIMEOUT: '2000', SYNC_WAIT_MS: '9000' })).toMatch(
      /SYNC_WAIT_MS .*API_TIMEOUT/,
    );
    expect(
      loadConfig(GatewayConfig, { ...valid, API_TIMEOUT: '5s', SYNC_WAIT_MS: '4999' }).SYNC_WAIT_MS,
    ).toBe(4_999);
  });

  it('names each missing or weak secret', () => {
    const { ADMIN_API_KEY: _a, REDIS_URL: _r, ...rest } = valid;
    const problems = problemsOf({ ...rest, API_KEY_HASH_SECRET: 'short' });
    expect(problems).toMatch(/ADMIN_API_KEY is required/);
    expect(problems).toMatch(/REDIS_URL is required/);
    expect(problems).toMatch(/API_KEY_HASH_SECRET must be at least 16 characters/);
  });

  it('refuses a malformed BILLING_URL or DUNNING_URL at start-up, naming it', () => {
    expect(problemsOf({ ...valid, BILLING_URL: 'billing:8085' })).toMatch(/BILLING_URL/);
    expect(problemsOf({ ...valid, BILLING_URL: 'ftp://billing' })).toMatch(/BILLING_URL/);
    expect(problemsOf({ ...valid, DUNNING_URL: 'not a url' })).toMatch(/DUNNING_URL/);
    expect(loadConfig(GatewayConfig, { ...valid, BILLING_URL: 'http://billing:8085' }).BILLING_URL).toBe(
      'http://billing:8085',
    );
  });
});
