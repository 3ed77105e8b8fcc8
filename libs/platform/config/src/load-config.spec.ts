import { BaseServiceConfig } from './base-config';
import { ConfigError, loadConfig } from './load-config';
import { serviceDatabaseUrl } from './services';

const valid = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/payflow', KAFKA_BROKERS: '127.0.0.1:9092' };

describe('loadConfig', () => {
  it('reads typed values and applies defaults', () => {
    const config = loadConfig(BaseServiceConfig, { ...valid, DB_POOL_MAX: '7' });
    expect(config.DB_POOL_MAX).toBe(7);
    expect(config.LOG_LEVEL).toBe('info');
    expect(config.CONSUMER_MAX_ATTEMPTS).toBe(5);
  });

  it('names a missing variable', () => {
    expect(() => loadConfig(BaseServiceConfig, { KAFKA_BROKERS: '127.0.0.1:9092' })).toThrow(
      /DATABASE_URL is required/,
    );
  });

  it('names a malformed variable', () => {
    try {
      loadConfig(BaseServiceConfig, { ...valid, DB_POOL_MAX: 'lots', KAFKA_BROKERS: 'nope' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join('\n');
      expect(problems).toMatch(/DB_POOL_MAX/);
      expect(problems).toMatch(/KAFKA_BROKERS must be a comma-separated list/);
    }
  });
});

describe('serviceDatabaseUrl', () => {
  it('derives the service role from DATABASE_URL', () => {
    expect(serviceDatabaseUrl('ledger', valid)).toBe(
      'postgres://payflow_ledger:payflow_ledger@127.0.0.1:5432/payflow',
    );
  });

  it('prefers <SERVICE>_DATABASE_URL', () => {
    expect(serviceDatabaseUrl('ledger', { LEDGER_DATABASE_URL: 'postgres://x@db/y' })).toBe('postgres://x@db/y');
  });
});
