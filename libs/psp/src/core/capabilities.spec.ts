import { ADYEN_CAPABILITIES } from '../adyen/adyen.capabilities';
import { STRIPE_CAPABILITIES } from '../stripe/stripe.capabilities';
import { checkCapabilities } from './capabilities';

describe('checkCapabilities', () => {
  it('accepts what the connector supports', () => {
    expect(
      checkCapabilities(STRIPE_CAPABILITIES, { amount: 10_000, currency: 'usd', captureMethod: 'manual' }),
    ).toEqual({ ok: true });
    expect(
      checkCapabilities(ADYEN_CAPABILITIES, { amount: 1, currency: 'EUR', paymentMethodType: 'card' }),
    ).toEqual({ ok: true });
  });

  it('names why it refuses', () => {
    expect(checkCapabilities(STRIPE_CAPABILITIES, { amount: 49, currency: 'USD' })).toEqual({
      ok: false,
      reason: 'amount below the USD minimum of 50',
    });
    expect(checkCapabilities(STRIPE_CAPABILITIES, { amount: 1_000_000, currency: 'ISK' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/maximum/),
    });
    expect(checkCapabilities(STRIPE_CAPABILITIES, { amount: 1_005, currency: 'KWD' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/multiple of 10/),
    });
    expect(checkCapabilities(ADYEN_CAPABILITIES, { amount: 150, currency: 'IDR' })).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/multiple of 100/),
    });
    expect(checkCapabilities(STRIPE_CAPABILITIES, { amount: 100, currency: 'IRR' })).toEqual({
      ok: false,
      reason: 'currency IRR not supported',
    });
    expect(checkCapabilities(STRIPE_CAPABILITIES, { amount: 100, currency: 'ZZZ' })).toEqual({
      ok: false,
      reason: 'unknown currency ZZZ',
    });
    expect(
      checkCapabilities(STRIPE_CAPABILITIES, {
        amount: 100,
        currency: 'USD',
        paymentMethodType: 'sepa_debit',
      }),
    ).toMatchObject({ ok: false });
  });

  it('never lists fund codes as chargeable', () => {
    expect(STRIPE_CAPABILITIES.currencies).not.toContain('CLF');
    expect(ADYEN_CAPABILITIES.currencies).not.toContain('USN');
  });
});
