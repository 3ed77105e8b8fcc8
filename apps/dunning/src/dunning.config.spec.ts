import { ConfigError, loadConfig } from '@payflow/platform/config';
import { DunningConfig } from './dunning.config';

const BASE = {
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/payflow',
  KAFKA_BROKERS: '127.0.0.1:9092',
  INTERNAL_API_TOKEN: 'a-token-of-sixteen-chars',
};

describe('DunningConfig', () => {
  it("has the networks' budgets and the port by default", () => {
    const config = loadConfig(DunningConfig, BASE);
    expect(config.DUNNING_PORT).toBe(8086);
    expect(config.networkLimits).toEqual({ visaMaxReattempts30d: 15, mastercardMaxAttempts24h: 10, mastercardMaxAttempts30d: 35 });
  });

  it('reads the budgets from the environment', () => {
    const config = loadConfig(DunningConfig, { ...BASE, VISA_MAX_REATTEMPTS_30D: '10', MASTERCARD_MAX_ATTEMPTS_24H: '5' });
    expect(config.networkLimits).toMatchObject({ visaMaxReattempts30d: 10, mastercardMaxAttempts24h: 5 });
  });

  it.each([
    ['VISA_MAX_REATTEMPTS_30D', 'fifteen'],
    ['MASTERCARD_MAX_ATTEMPTS_24H', '0'],
    ['MASTERCARD_MAX_ATTEMPTS_30D', '-1'],
    ['DUNNING_SCHEDULER_POLL_INTERVAL_MS', '1'],
    ['DUNNING_PORT', '70000'],
  ])('refuses a bad %s, naming it', (variable, value) => {
    expect(() => loadConfig(DunningConfig, { ...BASE, [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig(DunningConfig, { ...BASE, [variable]: value })).toThrow(new RegExp(variable));
  });
});
