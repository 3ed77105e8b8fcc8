import { ConfigError, loadConfig } from '@payflow/platform/config';
import { SimulatorConfig } from './simulator.config';

describe('SimulatorConfig', () => {
  it('has working local defaults', () => {
    const config = loadConfig(SimulatorConfig, {});
    expect(config.PSP_SIMULATOR_PORT).toBe(8090);
    expect(config.SIMULATOR_WEBHOOK_URL_STRIPE).toBe('http://localhost:8084/webhooks/stripe');
    expect(config.SIMULATOR_WEBHOOKS_ENABLED).toBe(true);
  });

  it('retries undelivered webhooks for 3 days by default, and names a bad retry setting', () => {
    const config = loadConfig(SimulatorConfig, {});
    expect(config.SIMULATOR_WEBHOOK_RETRY_SPAN_MS).toBe(3 * 24 * 60 * 60 * 1000);
    expect(config.SIMULATOR_WEBHOOK_RETRY_MAX_DELAY_MS).toBe(60 * 60 * 1000);
    expect(loadConfig(SimulatorConfig, { SIMULATOR_WEBHOOK_RETRY_SPAN_MS: '2000' }).SIMULATOR_WEBHOOK_RETRY_SPAN_MS).toBe(2000);
    expect(() => loadConfig(SimulatorConfig, { SIMULATOR_WEBHOOK_RETRY_SPAN_MS: '0' })).toThrow(/SIMULATOR_WEBHOOK_RETRY_SPAN_MS/);
  });

  it('names a malformed fault spec and why', () => {
    try {
      loadConfig(SimulatorConfig, { SIMULATOR_FAULTS_STRIPE: 'timeout=3' });
      throw new Error('expected a ConfigError');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message).toMatch(
        /SIMULATOR_FAULTS_STRIPE is not a valid fault spec: timeout must be a probability/,
      );
    }
  });

  it('names a malformed HMAC key', () => {
    expect(() => loadConfig(SimulatorConfig, { ADYEN_HMAC_KEY: 'not-hex' })).toThrow(
      /ADYEN_HMAC_KEY must be a hex string/,
    );
  });
});
