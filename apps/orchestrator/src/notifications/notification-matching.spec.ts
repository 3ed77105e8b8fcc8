import type { PspNotificationReceivedData } from '@payflow/contracts';
import type { Attempt } from '../attempts/attempt';
import { effectOf, matchNotification } from './notification-matching';

let seq = 0;
const attempt = (overrides: Partial<Attempt>): Attempt =>
  ({
    id: `att_${++seq}`,
    intent_id: 'pi_1',
    merchant_id: 'mer_1',
    operation: 'authorize',
    request_ref: 'r',
    route_index: 0,
    provider: 'adyen',
    route: ['adyen'],
    routing_reason: null,
    try_no: 1,
    idempotency_key: 'k',
    amount: 1_000,
    currency: 'EUR',
    payment_method: 'pm_card_visa',
    capture_method: 'manual',
    refund_id: null,
    reason: null,
    psp_reference: 'PSP_PAY',
    operation_psp_reference: null,
    status: 'pending',
    maybe_executed: true,
    compensating: false,
    ...overrides,
  }) as Attempt;

const notification = (overrides: Partial<PspNotificationReceivedData>): PspNotificationReceivedData => ({
  provider: 'adyen',
  psp_event_id: 'evt',
  psp_reference: 'PSP_PAY',
  kind: 'authorization',
  success: true,
  amount: 1_000,
  currency: 'EUR',
  intent_id: 'pi_1',
  ...overrides,
});

describe('matching a notification to its attempt', () => {
  const authorization = attempt({ status: 'succeeded' });
  const capture = attempt({ operation: 'capture', status: 'pending', operation_psp_reference: 'PSP_CAP' });
  const refund = attempt({ operation: 'refund', refund_id: 're_1', operation_psp_reference: 'PSP_REF' });
  const attempts = [authorization, capture, refund];

  it('by the attempt it names', () => {
    expect(matchNotification(notification({ kind: 'capture', attempt_id: capture.id }), attempts)).toEqual({
      attempt: capture,
      as: 'operation',
    });
  });

  it('waits (no match) when the named attempt is not recorded yet, rather than settle another', () => {
    expect(
      matchNotification(notification({ kind: 'capture', attempt_id: 'att_future' }), attempts),
    ).toBeNull();
  });

  it('by kind and reference when it names none: refunds by refund id or their own reference', () => {
    expect(matchNotification(notification({ kind: 'capture' }), attempts)?.attempt).toBe(capture);
    expect(
      matchNotification(notification({ kind: 'refund', refund_id: 're_1', psp_reference: 'X' }), attempts)
        ?.attempt,
    ).toBe(refund);
    expect(
      matchNotification(notification({ kind: 'refund', psp_reference: 'PSP_REF' }), attempts)?.attempt,
    ).toBe(refund);
    expect(matchNotification(notification({ kind: 'cancel' }), attempts)).toBeNull();
    expect(
      matchNotification(notification({ kind: 'authorization', psp_reference: 'OTHER' }), attempts),
    ).toBeNull();
  });

  it('ignores attempts at another provider', () => {
    expect(matchNotification(notification({ provider: 'stripe', kind: 'capture' }), attempts)).toBeNull();
  });

  it('reads a capture report on an automatic-capture authorization as its capture', () => {
    const automatic = attempt({
      provider: 'stripe',
      capture_method: 'automatic',
      psp_reference: 'pi_stripe',
    });
    const n = notification({
      provider: 'stripe',
      kind: 'capture',
      attempt_id: automatic.id,
      psp_reference: 'pi_stripe',
    });
    expect(matchNotification(n, [automatic])).toEqual({ attempt: automatic, as: 'auto_capture' });
    expect(
      matchNotification(notification({ provider: 'stripe', kind: 'capture', psp_reference: 'pi_stripe' }), [
        automatic,
      ]),
    ).toEqual({
      attempt: automatic,
      as: 'auto_capture',
    });
  });
});

describe('what a matched notification does', () => {
  it('settles an open attempt (pending, awaiting its webhook, or unknown)', () => {
    for (const status of ['pending', 'unknown'] as const) {
      expect(
        effectOf(notification({ success: true }), { attempt: attempt({ status }), as: 'operation' }),
      ).toBe('settle');
      expect(
        effectOf(notification({ success: false }), { attempt: attempt({ status }), as: 'operation' }),
      ).toBe('settle');
    }
  });

  it('has no second effect when the attempt already is where the notification says', () => {
    expect(
      effectOf(notification({ success: true }), {
        attempt: attempt({ status: 'succeeded' }),
        as: 'operation',
      }),
    ).toBe('duplicate');
    expect(
      effectOf(notification({ success: false }), {
        attempt: attempt({ status: 'declined' }),
        as: 'operation',
      }),
    ).toBe('duplicate');
    expect(
      effectOf(notification({ success: false, kind: 'capture' }), {
        attempt: attempt({ operation: 'capture', status: 'failed' }),
        as: 'operation',
      }),
    ).toBe('duplicate');
  });

  it('ignores what would move a settled attempt backwards', () => {
    expect(
      effectOf(notification({ success: false }), {
        attempt: attempt({ status: 'succeeded' }),
        as: 'operation',
      }),
    ).toBe('backwards');
    expect(
      effectOf(notification({ kind: 'capture', success: true }), {
        attempt: attempt({ operation: 'capture', status: 'failed' }),
        as: 'operation',
      }),
    ).toBe('backwards');
  });

  it('voids an authorization that succeeded after PayFlow reported it failed', () => {
    expect(
      effectOf(notification({ success: true }), { attempt: attempt({ status: 'failed' }), as: 'operation' }),
    ).toBe('void_late_authorization');
    expect(
      effectOf(notification({ success: true }), {
        attempt: attempt({ status: 'declined' }),
        as: 'operation',
      }),
    ).toBe('void_late_authorization');
  });
});
