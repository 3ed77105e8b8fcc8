import { hmacValidator, type Types } from '@adyen/api-library';
import Stripe from 'stripe';
import { signAdyenItem } from './adyen-webhook-signer';
import { stripeSignatureHeader } from './stripe-webhook-signer';

describe('webhook signing', () => {
  it('signs Stripe events so the SDK’s constructEvent verifies them', () => {
    const body = JSON.stringify({
      id: 'evt_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: {} },
    });
    const header = stripeSignatureHeader(body, 'whsec_simulator_test', 1_700_000_000);
    expect(header).toMatch(/^t=1700000000,v1=[0-9a-f]{64}$/);
    expect(Stripe.webhooks.constructEvent(body, header, 'whsec_simulator_test', 0).id).toBe('evt_1');
    expect(() => Stripe.webhooks.constructEvent(body, header, 'whsec_other', 0)).toThrow();
  });

  it('signs Adyen items so the SDK’s validator accepts them', () => {
    const key = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
    const item = {
      additionalData: { 'metadata.payflow_intent_id': 'pi_1' },
      amount: { currency: 'EUR', value: 100 },
      eventCode: 'AUTHORISATION',
      eventDate: '2026-01-01T00:00:00Z',
      merchantAccountCode: 'M',
      merchantReference: 'att_1',
      pspReference: 'P1',
      success: 'true',
    } as unknown as Types.notification.NotificationRequestItem;
    const signed = signAdyenItem(item, key);
    expect(new hmacValidator().validateHMAC(signed, key)).toBe(true);
    expect(
      new hmacValidator().validateHMAC({ ...signed, amount: { currency: 'EUR', value: 101 } }, key),
    ).toBe(false);
  });
});
