import { WebhookPayloadError, WebhookSignatureError, adyenItemHmac } from '@payflow/psp';
import {
  adyenItemEvent,
  adyenItemEventId,
  readAdyenItems,
  verifyAdyenItems,
} from './adyen-notification-items';

const KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
const OTHER_KEY = 'AA'.repeat(32);

type Item = Parameters<typeof adyenItemEventId>[0];

function item(fields: Record<string, unknown> = {}, key: string | null = KEY): Item {
  const unsigned = {
    amount: { currency: 'EUR', value: 1_000 },
    eventCode: 'AUTHORISATION',
    eventDate: '2026-03-01T12:00:00+01:00',
    merchantAccountCode: 'PayFlowTest',
    merchantReference: 'pi_intent1:att_attempt1',
    pspReference: 'PSP0000000000001',
    success: 'true',
    additionalData: {},
    ...fields,
  } as unknown as Item;
  if (key === null) return unsigned;
  const hmacSignature = adyenItemHmac(
    { ...unsigned, amount: (unsigned as { amount?: object }).amount ?? {} } as Item,
    key,
  );
  return { ...unsigned, additionalData: { ...unsigned.additionalData, hmacSignature } } as Item;
}

const body = (items: unknown[]) =>
  Buffer.from(
    JSON.stringify({ live: 'false', notificationItems: items.map((i) => ({ NotificationRequestItem: i })) }),
  );

describe('readAdyenItems', () => {
  it('returns the items of a standard notification body', () => {
    expect(readAdyenItems(body([item(), item({ pspReference: 'PSP2' })]))).toHaveLength(2);
  });

  it.each([
    ['not JSON', Buffer.from('{not json')],
    ['JSON null', Buffer.from('null')],
    ['no notificationItems', Buffer.from('{"live":"false"}')],
    ['an empty notificationItems', Buffer.from('{"live":"false","notificationItems":[]}')],
    ['an entry without NotificationRequestItem', Buffer.from('{"notificationItems":[{"x":1}]}')],
    ['an item that is a string', Buffer.from('{"notificationItems":[{"NotificationRequestItem":"x"}]}')],
    ['an item that is an array', Buffer.from('{"notificationItems":[{"NotificationRequestItem":[]}]}')],
  ])('refuses %s as not an Adyen notification (4xx)', (_case, raw) => {
    expect(() => readAdyenItems(raw)).toThrow(WebhookPayloadError);
  });
});

describe('verifyAdyenItems', () => {
  it('passes a batch whose every item is signed with the key', () => {
    expect(() => verifyAdyenItems([item(), item({ eventCode: 'CAPTURE' })], KEY)).not.toThrow();
  });

  it.each([
    ['signed with another key', item({}, OTHER_KEY)],
    ['unsigned', item({}, null)],
    ['tampered after signing (amount)', { ...item(), amount: { currency: 'EUR', value: 1 } } as Item],
    [
      'tampered after signing (merchantReference)',
      { ...item(), merchantReference: 'pi_other:att_x' } as Item,
    ],
    [
      'with a signature that is not base64 of the right length',
      item({ additionalData: { hmacSignature: 'abc' } }, null),
    ],
  ])('refuses the whole batch when one item is %s', (_case, bad) => {
    expect(() => verifyAdyenItems([item(), bad], KEY)).toThrow(WebhookSignatureError);
  });

  it('refuses everything without a key', () => {
    expect(() => verifyAdyenItems([item()], '')).toThrow(WebhookSignatureError);
  });

  it('recognises a signed item without an amount (signed over empty amount fields)', () => {
    const { amount: _amount, ...rest } = item({}, null) as unknown as Record<string, unknown>;
    const signed = item({ ...rest, amount: undefined });
    delete (signed as unknown as Record<string, unknown>)['amount'];
    expect(() => verifyAdyenItems([signed], KEY)).not.toThrow();
    expect(() => verifyAdyenItems([signed], OTHER_KEY)).toThrow(WebhookSignatureError);
  });
});

describe('adyenItemEvent', () => {
  const headers = { 'content-type': 'application/json' };

  it('normalizes a usable item into one notification', () => {
    const event = adyenItemEvent(item(), headers);
    expect(event).toMatchObject({
      provider: 'adyen',
      pspEventId: 'AUTHORISATION:PSP0000000000001::true',
      eventType: 'AUTHORISATION',
      headers,
    });
    expect(event.unusable).toBeUndefined();
    expect(event.notifications).toHaveLength(1);
    expect(event.notifications[0].data).toMatchObject({
      kind: 'authorization',
      success: true,
      amount: 1_000,
    });
    expect(JSON.parse(event.rawPayload)).toEqual(JSON.parse(JSON.stringify(item())));
  });

  it('records an event code PayFlow does not act on, with no notification and not as unusable', () => {
    const event = adyenItemEvent(item({ eventCode: 'REPORT_AVAILABLE' }), headers);
    expect(event.notifications).toEqual([]);
    expect(event.unusable).toBeUndefined();
  });

  it.each([
    ['an unknown currency', { amount: { currency: 'XYZ', value: 100 } }],
    ['a fractional amount', { amount: { currency: 'EUR', value: 10.5 } }],
    ['no amount value', { amount: { currency: 'EUR' } }],
  ])('stores an item with %s as unusable, with why', (_case, fields) => {
    const event = adyenItemEvent(item(fields), headers);
    expect(event.notifications).toEqual([]);
    expect(event.unusable).toEqual(expect.any(String));
    expect(event.pspEventId).toBe('AUTHORISATION:PSP0000000000001::true');
  });

  it('stores an item without an amount object as unusable', () => {
    const bare = item();
    delete (bare as unknown as Record<string, unknown>)['amount'];
    const event = adyenItemEvent(bare, headers);
    expect(event.notifications).toEqual([]);
    expect(event.unusable).toEqual(expect.any(String));
  });

  it.each([
    ['no eventCode', { eventCode: undefined }],
    ['no pspReference', { pspReference: undefined }],
    ['an empty eventCode', { eventCode: '' }],
  ])('stores an item with %s as unusable under a digest of the item', (_case, fields) => {
    const event = adyenItemEvent(item(fields), headers);
    expect(event.unusable).toEqual(expect.any(String));
    expect(event.pspEventId).toMatch(/^unidentified:[0-9a-f]{64}$/);
    // The same item again (Adyen's retry) gets the same key; another item another one.
    expect(adyenItemEventId(item(fields))).toBe(event.pspEventId);
    expect(adyenItemEventId(item({ ...fields, merchantReference: 'pi_b:att_b' }))).not.toBe(event.pspEventId);
  });
});
