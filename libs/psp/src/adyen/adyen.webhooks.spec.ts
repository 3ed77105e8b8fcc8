import { hmacValidator, type Types } from '@adyen/api-library';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PspNotificationReceivedData } from '@payflow/contracts';
import { WebhookPayloadError, WebhookSignatureError } from '../core/webhook-errors';
import { adyenEventId, verifyAdyenNotification, verifyAndParseAdyenNotification } from './adyen.webhooks';

const HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const OTHER_KEY = '0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF';

type Item = Types.notification.NotificationRequestItem;

function item(overrides: Record<string, unknown> = {}): Item {
  return {
    additionalData: { 'metadata.payflow_intent_id': 'pi_payflow1', merchantOrderReference: 'pi_payflow1' },
    amount: { currency: 'EUR', value: 10_000 },
    eventCode: 'AUTHORISATION',
    eventDate: '2026-01-01T10:00:00+01:00',
    merchantAccountCode: 'PayFlowECOM',
    merchantReference: 'att_1',
    pspReference: 'PAYMENTREF000001',
    reason: '',
    success: 'true',
    ...overrides,
  } as unknown as Item;
}

/** Signs an item as Adyen does, with the SDK's own HMAC calculation. */
function sign(notificationItem: Item, key = HMAC_KEY): Item {
  const hmacSignature = new hmacValidator().calculateHmac(notificationItem, key);
  return { ...notificationItem, additionalData: { ...notificationItem.additionalData, hmacSignature } };
}

function body(...items: Item[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      live: 'false',
      notificationItems: items.map((NotificationRequestItem) => ({ NotificationRequestItem })),
    }),
  );
}

describe('Adyen notification HMAC', () => {
  it('accepts items signed with the key', () => {
    expect(() =>
      verifyAdyenNotification(body(sign(item()), sign(item({ pspReference: 'PAYMENTREF000002' }))), HMAC_KEY),
    ).not.toThrow();
  });

  it('rejects an item signed with another key (forged)', () => {
    expect(() => verifyAdyenNotification(body(sign(item(), OTHER_KEY)), HMAC_KEY)).toThrow(
      WebhookSignatureError,
    );
  });

  it.each([
    ['amount', { amount: { currency: 'EUR', value: 1 } }],
    ['success', { success: 'false' }],
    ['eventCode', { eventCode: 'CAPTURE' }],
    ['merchantReference', { merchantReference: 'att_other' }],
    ['pspReference', { pspReference: 'PAYMENTREF999999' }],
  ])('rejects an item whose signed %s was changed', (_field, change) => {
    const signedItem = sign(item());
    const tampered = { ...signedItem, ...change } as Item;
    expect(() => verifyAdyenNotification(body(tampered), HMAC_KEY)).toThrow(/invalid hmacSignature/);
  });

  it('rejects the whole batch when one item is bad', () => {
    const bad = sign(item({ pspReference: 'PAYMENTREF000002' }), OTHER_KEY);
    expect(() => verifyAdyenNotification(body(sign(item()), bad), HMAC_KEY)).toThrow(/item 1/);
  });

  it('rejects an item without hmacSignature', () => {
    expect(() => verifyAdyenNotification(body(item()), HMAC_KEY)).toThrow(/no hmacSignature/);
  });

  it('rejects a malformed signature without throwing anything else', () => {
    const garbled = { ...item(), additionalData: { hmacSignature: '***not base64***' } } as unknown as Item;
    expect(() => verifyAdyenNotification(body(garbled), HMAC_KEY)).toThrow(WebhookSignatureError);
  });

  it('reports bodies that are not Adyen notifications as payload errors', () => {
    expect(() => verifyAdyenNotification(Buffer.from('nope'), HMAC_KEY)).toThrow(WebhookPayloadError);
    expect(() => verifyAdyenNotification(Buffer.from('{"live":"false"}'), HMAC_KEY)).toThrow(
      WebhookPayloadError,
    );
    expect(() =>
      verifyAdyenNotification(
        Buffer.from('{"notificationItems":[{"NotificationRequestItem":{"eventCode":"X"}}]}'),
        HMAC_KEY,
      ),
    ).toThrow(WebhookPayloadError);
  });
});

describe('Adyen notification normalization', () => {
  function parse(...items: Item[]) {
    return verifyAndParseAdyenNotification(body(...items.map((i) => sign(i))), HMAC_KEY);
  }

  it('AUTHORISATION → authorization, merchantReference as the attempt, metadata as the intent', () => {
    const [notification] = parse(item());
    expect(notification?.data).toEqual({
      provider: 'adyen',
      psp_event_id: 'AUTHORISATION:PAYMENTREF000001::true',
      psp_reference: 'PAYMENTREF000001',
      kind: 'authorization',
      success: true,
      amount: 10_000,
      currency: 'EUR',
      intent_id: 'pi_payflow1',
      attempt_id: 'att_1',
      refund_id: null,
    });
    expect(notification?.occurredAt).toBe('2026-01-01T09:00:00.000Z');
  });

  it.each([
    ['CAPTURE', 'true', 'capture', true],
    ['CAPTURE_FAILED', 'true', 'capture', false],
    ['REFUND', 'true', 'refund', true],
    ['REFUND', 'false', 'refund', false],
    ['REFUND_FAILED', 'true', 'refund', false],
    ['CANCELLATION', 'true', 'cancel', true],
    ['CHARGEBACK', 'true', 'chargeback', true],
  ])('%s success=%s → %s success %s', (eventCode, success, kind, expected) => {
    const [notification] = parse(
      item({
        eventCode,
        success,
        pspReference: 'MODIFICATION0001',
        originalReference: 'PAYMENTREF000001',
        merchantReference: 'att_mod',
      }),
    );
    expect(notification?.data).toMatchObject({ kind, success: expected, attempt_id: 'att_mod' });
    expect(notification?.paymentPspReference).toBe('PAYMENTREF000001');
    // Refunds are their own objects; captures, cancels and chargebacks are about the payment.
    expect(notification?.data.psp_reference).toBe(
      kind === 'refund' ? 'MODIFICATION0001' : 'PAYMENTREF000001',
    );
  });

  it('ignores event codes PayFlow does not act on, but still verifies them', () => {
    expect(parse(item({ eventCode: 'REPORT_AVAILABLE' }))).toEqual([]);
    expect(() =>
      verifyAndParseAdyenNotification(body(item({ eventCode: 'REPORT_AVAILABLE' })), HMAC_KEY),
    ).toThrow(WebhookSignatureError);
  });

  it('dedups on eventCode, pspReference, originalReference and success', () => {
    const base = item({ eventCode: 'CAPTURE', pspReference: 'M1', originalReference: 'P1' });
    expect(adyenEventId(base)).toBe('CAPTURE:M1:P1:true');
    expect(
      adyenEventId(
        item({ eventCode: 'CAPTURE', pspReference: 'M1', originalReference: 'P1', success: 'false' }),
      ),
    ).not.toBe(adyenEventId(base));
  });

  it('converts Adyen amounts to ISO minor units (CLP has 2 decimals at Adyen)', () => {
    const [notification] = parse(item({ amount: { currency: 'CLP', value: 99_000 } }));
    expect(notification?.data).toMatchObject({ amount: 990, currency: 'CLP' });
  });

  it('produces valid psp.notification_received data (the contracts schema)', () => {
    for (const notification of parse(
      item(),
      item({ eventCode: 'REFUND', pspReference: 'M2', originalReference: 'PAYMENTREF000001' }),
    )) {
      expect(validateSync(plainToInstance(PspNotificationReceivedData, notification.data))).toEqual([]);
    }
  });
});

describe('Adyen notifications signed but malformed', () => {
  it('reports an amount that is not whole ISO minor units as a payload error', () => {
    const odd = sign(item({ amount: { currency: 'CLP', value: 99_050 } }));
    expect(() => verifyAndParseAdyenNotification(body(odd), HMAC_KEY)).toThrow(WebhookPayloadError);
    const unknownCurrency = sign(item({ amount: { currency: 'ZZZ', value: 1 } }));
    expect(() => verifyAndParseAdyenNotification(body(unknownCurrency), HMAC_KEY)).toThrow(
      WebhookPayloadError,
    );
  });
});
