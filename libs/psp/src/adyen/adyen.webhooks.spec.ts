import { hmacValidator, type Types } from '@adyen/api-library';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { PspNotificationReceivedData } from '@payflow/contracts';
import { WebhookPayloadError, WebhookSignatureError } from '../core/webhook-errors';
import {
  adyenEventId,
  parseAdyenNotificationItem,
  verifyAdyenNotification,
  verifyAdyenNotificationItem,
  verifyAndParseAdyenNotification,
} from './adyen.webhooks';

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
    merchantReference: 'pi_payflow1:att_1',
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

  it('AUTHORISATION → authorization, PayFlow’s ids from the signed merchantReference', () => {
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

  it('never takes ids from the unsigned additionalData', () => {
    const [notification] = parse(
      item({
        merchantReference: 'att_1',
        additionalData: { 'metadata.payflow_intent_id': 'pi_other', merchantOrderReference: 'pi_other' },
      }),
    );
    expect(notification?.data).toMatchObject({ intent_id: null, attempt_id: 'att_1' });
    const [foreign] = parse(item({ merchantReference: 'ORDER-42' }));
    expect(foreign?.data).toMatchObject({ intent_id: null, attempt_id: null });
  });

  it.each([
    ['CAPTURE', 'true', 'capture', true, undefined],
    ['CAPTURE', 'false', 'capture', false, undefined],
    ['CAPTURE_FAILED', 'true', 'capture', false, true],
    ['REFUND', 'true', 'refund', true, undefined],
    ['REFUND', 'false', 'refund', false, undefined],
    ['REFUND_FAILED', 'true', 'refund', false, true],
    ['REFUNDED_REVERSED', 'true', 'refund', false, true],
    ['CANCELLATION', 'true', 'cancel', true, undefined],
    ['TECHNICAL_CANCEL', 'true', 'cancel', true, undefined],
    ['TECHNICAL_CANCEL', 'false', 'cancel', false, undefined],
    ['CANCEL_OR_REFUND', 'true', 'cancel_or_refund', true, undefined],
    ['CHARGEBACK', 'true', 'chargeback', true, undefined],
  ])('%s success=%s → %s success %s, reversal %s', (eventCode, success, kind, expected, reversal) => {
    const [notification] = parse(
      item({
        eventCode,
        success,
        pspReference: 'MODIFICATION0001',
        originalReference: 'PAYMENTREF000001',
        merchantReference: 'pi_payflow1:att_mod',
        reason: success === 'false' || reversal ? 'Payment already captured' : '',
      }),
    );
    expect(notification?.data).toMatchObject({
      kind,
      success: expected,
      intent_id: 'pi_payflow1',
      attempt_id: 'att_mod',
    });
    expect(notification?.data.reversal).toBe(reversal);
    expect(notification?.data.refund_id).toBeNull();
    // Modifications are reported on the payment: the attempt is matched by its signed reference.
    expect(notification?.data.psp_reference).toBe('PAYMENTREF000001');
    expect(notification?.paymentPspReference).toBe('PAYMENTREF000001');
    expect(notification?.data.message).toBe(expected ? undefined : 'Payment already captured');
    expect(notification?.data.code).toBeUndefined();
  });

  it('TECHNICAL_CANCEL for a reference Adyen holds no payment under names the cancel itself', () => {
    const [notification] = parse(
      item({
        eventCode: 'TECHNICAL_CANCEL',
        pspReference: 'CANCEL0001',
        merchantReference: 'pi_payflow1:att_void',
      }),
    );
    expect(notification?.data).toMatchObject({
      kind: 'cancel',
      success: true,
      psp_reference: 'CANCEL0001',
      attempt_id: 'att_void',
    });
  });

  it.each([
    [
      'lost card',
      { reason: 'Blocked Card', paymentMethod: 'visa', raw: '41 : Lost card' },
      {
        code: 'lost_card',
        decline_code: 'lost_card',
        network: 'visa',
        advice_code: null,
        message: 'Blocked Card',
      },
    ],
    [
      'insufficient funds',
      { reason: 'Not enough balance', paymentMethod: 'visa', raw: '51 : Insufficient funds' },
      { code: 'insufficient_funds', decline_code: 'insufficient_funds', network: 'visa' },
    ],
    [
      'stolen card',
      { reason: 'Blocked Card', paymentMethod: 'visa', raw: '43 : Stolen card' },
      { code: 'stolen_card', decline_code: 'stolen_card' },
    ],
    [
      'generic',
      { reason: 'Refused', paymentMethod: 'visa', raw: '05 : Do not honor' },
      { code: 'card_declined', decline_code: 'generic_decline', network: 'visa', advice_code: null },
    ],
    [
      'mastercard do not try again',
      { reason: 'Refused', paymentMethod: 'mc', raw: '05 : Do not honor', advice: '03: Do not try again' },
      {
        code: 'card_declined',
        decline_code: 'do_not_honor',
        network: 'mastercard',
        advice_code: '03',
        message: 'Refused',
      },
    ],
  ])('a refused AUTHORISATION keeps the decline: %s', (_name, given, expected) => {
    const [notification] = parse(
      item({
        success: 'false',
        reason: given.reason,
        paymentMethod: given.paymentMethod,
        additionalData: {
          refusalReasonRaw: given.raw,
          ...('advice' in given ? { merchantAdviceCode: given.advice } : {}),
        },
      }),
    );
    expect(notification?.data).toMatchObject({ kind: 'authorization', success: false, ...expected });
    expect(notification?.reason).toBe(given.reason);
    expect(validateSync(plainToInstance(PspNotificationReceivedData, notification?.data))).toEqual([]);
  });

  it('reads the network from additionalData.paymentMethod when the item has none', () => {
    const [notification] = parse(
      item({ success: 'false', reason: 'Refused', additionalData: { paymentMethod: 'mc' } }),
    );
    expect(notification?.data.network).toBe('mastercard');
  });

  it('a successful AUTHORISATION carries no decline fields', () => {
    const [notification] = parse(item({ reason: '1234:7777:12/2030', paymentMethod: 'visa' }));
    expect(notification?.data).not.toHaveProperty('code');
    expect(notification?.data).not.toHaveProperty('network');
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
      item({ eventCode: 'REFUND_FAILED', pspReference: 'M2', originalReference: 'PAYMENTREF000001' }),
      item({ eventCode: 'CANCEL_OR_REFUND', pspReference: 'M3', originalReference: 'PAYMENTREF000001' }),
      item({
        eventCode: 'TECHNICAL_CANCEL',
        pspReference: 'M4',
        success: 'false',
        reason: 'Payment already captured',
      }),
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

describe('Adyen notification items, one at a time', () => {
  it('verifies one item’s HMAC', () => {
    expect(verifyAdyenNotificationItem(sign(item()), HMAC_KEY)).toBe(true);
    expect(verifyAdyenNotificationItem(sign(item(), OTHER_KEY), HMAC_KEY)).toBe(false);
    expect(verifyAdyenNotificationItem(item(), HMAC_KEY)).toBe(false);
    expect(verifyAdyenNotificationItem(sign(item()), '')).toBe(false);
    const tampered = { ...sign(item()), merchantReference: 'pi_payflow1:att_other' } as Item;
    expect(verifyAdyenNotificationItem(tampered, HMAC_KEY)).toBe(false);
    const garbled = { ...item(), additionalData: { hmacSignature: '***' } } as unknown as Item;
    expect(verifyAdyenNotificationItem(garbled, HMAC_KEY)).toBe(false);
  });

  it('recognises a signed item without an amount as signed', () => {
    const { amount: _omitted, ...withoutAmount } = item() as Item & { amount?: unknown };
    const signedWithout = sign({ ...withoutAmount, amount: {} } as unknown as Item);
    const { amount: _empty, ...bare } = signedWithout as Item & { amount?: unknown };
    expect(verifyAdyenNotificationItem(bare as unknown as Item, HMAC_KEY)).toBe(true);
  });

  it('throws a payload error for an unusable item only, so its batch can go on', () => {
    const items = [
      item({ pspReference: 'GOOD000000000001' }),
      item({ pspReference: 'BAD0000000000001', amount: { currency: 'ZZZ', value: 1 } }),
      item({ pspReference: 'GOOD000000000002', eventCode: 'CAPTURE', originalReference: 'GOOD000000000001' }),
    ];
    const outcomes = items.map((one) => {
      try {
        return parseAdyenNotificationItem(one)?.data.psp_reference;
      } catch (error) {
        return error;
      }
    });
    expect(outcomes[0]).toBe('GOOD000000000001');
    expect(outcomes[1]).toBeInstanceOf(WebhookPayloadError);
    expect(String((outcomes[1] as Error).message)).toMatch(
      /BAD0000000000001 is unusable: invalid amount.*ZZZ/,
    );
    expect(outcomes[2]).toBe('GOOD000000000001');
  });

  it.each([
    ['no amount', { amount: undefined }, /no amount/],
    ['an amount with no currency', { amount: { value: 100 } }, /unknown currency/],
    ['a fraction of an ISO minor unit', { amount: { currency: 'CLP', value: 99_050 } }, /invalid amount/],
    ['no pspReference', { pspReference: '' }, /no pspReference/],
  ])('an item with %s is unusable', (_name, change, message) => {
    expect(() => parseAdyenNotificationItem(item(change))).toThrow(WebhookPayloadError);
    expect(() => parseAdyenNotificationItem(item(change))).toThrow(message);
  });

  it('ignores event codes PayFlow does not act on, even unusable ones', () => {
    expect(
      parseAdyenNotificationItem(item({ eventCode: 'REPORT_AVAILABLE', amount: undefined })),
    ).toBeUndefined();
  });
});
