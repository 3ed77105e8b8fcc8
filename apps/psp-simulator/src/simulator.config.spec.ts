import { ConfigError, loadConfig } from '@payflow/platform/config';
import { SimulatorConfig } from './simulator.config';

describe('SimulatorConfig', () => {
  it('has working local defaults', () => {
    const config = loadConfig(SimulatorConfig, {});
    expect(config.PSP_SIMULATOR_PORT).toBe(8090);
    expect(config.SIMULATOR_WEBHOOK_URL_STRIPE).toBe('http://localhost:8084/webhooks/stripe');
    expect(config.SIMULATOR_WEBHOOKS_ENABLED).toBe(true);
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
