import { closeConnectors, createConnectors } from './create-connectors';
import { stripeEndpoint } from './stripe/stripe.options';

describe('createConnectors', () => {
  it('returns one connector per provider, each declaring its capabilities', async () => {
    const connectors = createConnectors({
      stripe: { apiKey: 'sk_test_x', apiBaseUrl: 'http://localhost:8090' },
      adyen: { apiKey: 'key', merchantAccount: 'M', checkoutBaseUrl: 'http://localhost:8090/checkout' },
    });
    expect(connectors.stripe.provider).toBe('stripe');
    expect(connectors.adyen.provider).toBe('adyen');
    expect(connectors.stripe.capabilities.retrieve).toBe(true);
    expect(connectors.adyen.capabilities.retrieve).toBe(false);
    await closeConnectors(connectors);
  });
});

describe('stripeEndpoint', () => {
  it('turns a base URL into the SDK’s host, port and protocol', () => {
    expect(stripeEndpoint('http://localhost:8090')).toEqual({
      host: 'localhost',
      port: 8090,
      protocol: 'http',
    });
    expect(stripeEndpoint()).toEqual({ host: 'api.stripe.com', port: 443, protocol: 'https' });
  });

  it('refuses a path the SDK would ignore', () => {
    expect(() => stripeEndpoint('http://localhost:8090/stripe')).toThrow(/must not have a path/);
  });
});
