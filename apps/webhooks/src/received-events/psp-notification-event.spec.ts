import { validateEvent } from '@payflow/contracts';
import type { PspNotification, PspNotificationData } from '@payflow/psp';
import { pspNotificationEvent } from './psp-notification-event';

const base: PspNotificationData = {
  provider: 'stripe',
  psp_event_id: 'evt_1',
  psp_reference: 'pi_3abc',
  kind: 'capture',
  success: true,
  amount: 10_000,
  currency: 'USD',
  intent_id: 'pi_1a2b',
  attempt_id: 'att_1',
  refund_id: null,
};

function notification(
  data: Partial<PspNotificationData> = {},
  paymentPspReference = 'pi_3abc',
): PspNotification {
  return {
    data: { ...base, ...data },
    eventType: 'payment_intent.succeeded',
    paymentPspReference,
    occurredAt: '2026-03-01T12:00:00.000Z',
  };
}

const context = { occurredAt: new Date('2026-03-01T12:00:01.000Z'), requestId: 'req_1' };

describe('pspNotificationEvent', () => {
  it('builds a contract-valid event keyed by the intent id', () => {
    const built = pspNotificationEvent(notification(), context);
    expect(built.ok).toBe(true);
    if (!built.ok) return;
    expect(built.outgoing.key).toBe('pi_1a2b');
    expect(built.outgoing.event).toMatchObject({
      type: 'psp.notification_received',
      source: 'webhooks',
      correlation_id: 'req_1',
    });
    expect(validateEvent(built.outgoing.event)).toMatchObject({ ok: true });
  });

  it("keys an unmatched notification by the PSP's payment reference, and drops ids that are not PayFlow's", () => {
    const built = pspNotificationEvent(
      notification(
        { intent_id: 'order-42', refund_id: 'rf_x', kind: 'refund', psp_reference: 're_psp' },
        'pi_3payment',
      ),
      context,
    );
    expect(built.ok && built.outgoing.key).toBe('pi_3payment');
    expect(built.ok && built.outgoing.event.data).toMatchObject({ intent_id: null, refund_id: null });
  });

  it('carries what libs/psp read: the reversal flag and the decline as the PSP gave it', () => {
    const decline = {
      kind: 'authorization' as const,
      success: false,
      code: 'lost_card',
      decline_code: 'lost_card',
      network: 'visa',
      advice_code: null,
      message: 'Lost card',
    };
    const built = pspNotificationEvent(notification(decline), context);
    expect(built.ok && built.outgoing.event.data).toMatchObject(decline);
    const reversal = pspNotificationEvent(
      notification({ kind: 'refund', success: false, reversal: true }),
      context,
    );
    expect(reversal.ok && reversal.outgoing.event.data).toMatchObject({ reversal: true, success: false });
  });

  // The direct checks must refuse exactly what validateEvent (the consumers' check) refuses.
  it.each<[string, Partial<PspNotificationData>]>([
    ['a lower-case currency', { currency: 'usd' }],
    ['an unknown currency', { currency: 'XYZ' }],
    ['a negative amount', { amount: -1 }],
    ['a fractional amount', { amount: 10.5 }],
    ['an amount over the maximum', { amount: 100_000_000 }],
    ['an empty PSP reference', { psp_reference: '' }],
    ['an empty event id', { psp_event_id: '' }],
    ['an unknown kind', { kind: 'payout' as never }],
    ['a string success', { success: 'true' as never }],
    ['a string reversal', { reversal: 'true' as never }],
    ['a numeric decline code', { code: 51 as never }],
    ['a numeric network decline advice code', { advice_code: 3 as never }],
    ['an object as network', { network: { brand: 'visa' } as never }],
    ['a numeric decline_code', { decline_code: 5 as never }],
    ['a numeric message', { message: 1 as never }],
  ])('refuses %s, as validateEvent does', (_case, data) => {
    expect(pspNotificationEvent(notification(data), context).ok).toBe(false);
    const envelope = pspNotificationEvent(notification(), context);
    if (!envelope.ok) throw new Error('the base notification must be valid');
    expect(
      validateEvent({
        ...envelope.outgoing.event,
        data: { ...(envelope.outgoing.event.data as object), ...data },
      }).ok,
    ).toBe(false);
  });

  it.each<[string, Partial<PspNotificationData>]>([
    ['a zero amount', { amount: 0 }],
    ['no attempt id', { attempt_id: null }],
    ['a chargeback', { kind: 'chargeback' }],
    [
      'a failed authorization in JPY',
      { kind: 'authorization', success: false, currency: 'JPY', amount: 500 },
    ],
    ['a cancel_or_refund', { kind: 'cancel_or_refund' }],
    ['a reversal of a refund', { kind: 'refund', success: false, reversal: true }],
    [
      'a decline with every field',
      {
        kind: 'authorization',
        success: false,
        code: 'card_declined',
        decline_code: 'do_not_honor',
        network: 'mastercard',
        advice_code: '03',
        message: 'Do not honor',
      },
    ],
    [
      'null decline fields',
      { code: null, decline_code: null, network: null, advice_code: null, message: null },
    ],
  ])('accepts %s, as validateEvent does', (_case, data) => {
    const built = pspNotificationEvent(notification(data), context);
    expect(built.ok).toBe(true);
    if (built.ok) expect(validateEvent(built.outgoing.event)).toMatchObject({ ok: true });
  });
});
