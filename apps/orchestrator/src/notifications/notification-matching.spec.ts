import type { PspNotificationReceivedData } from '@payflow/contracts';
import type { Attempt } from '../attempts/attempt';
import { effectOf, matchNotification, reportsCapture } from './notification-matching';

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
    resolution: null,
    reversed_at: null,
    compensates_attempt_id: null,
    compensation: null,
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

  it('finds a technical cancel by the attempt it names, though it has no payment reference', () => {
    const technical = attempt({
      operation: 'cancel',
      psp_reference: null,
      compensating: true,
      compensation: 'deadline_cancel',
    });
    expect(
      matchNotification(
        notification({
          kind: 'cancel',
          attempt_id: technical.id,
          psp_reference: 'CANCEL_REF',
          success: false,
        }),
        [technical],
      )?.attempt,
    ).toBe(technical);
  });

  it('CANCEL_OR_REFUND: the attempt it names, else a cancel of the payment, else a refund of it', () => {
    const cancel = attempt({ operation: 'cancel', status: 'pending' });
    const lateRefund = attempt({
      operation: 'refund',
      status: 'pending',
      compensating: true,
      compensation: 'late_success_refund',
    });
    const n = notification({ kind: 'cancel_or_refund' });
    expect(
      matchNotification({ ...n, attempt_id: lateRefund.id }, [authorization, cancel, lateRefund])?.attempt,
    ).toBe(lateRefund);
    expect(matchNotification(n, [authorization, cancel, lateRefund])?.attempt).toBe(cancel);
    expect(matchNotification(n, [authorization, lateRefund])?.attempt).toBe(lateRefund);
    expect(matchNotification(n, [authorization])).toBeNull();
    expect(matchNotification({ ...n, attempt_id: 'att_future' }, [authorization, cancel])).toBeNull();
    expect(matchNotification({ ...n, psp_reference: 'OTHER' }, [authorization, cancel])).toBeNull();
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

  it('a success for an authorization PayFlow gave up on, or is resolving at its deadline, is a late success', () => {
    expect(
      effectOf(notification({ success: true }), { attempt: attempt({ status: 'failed' }), as: 'operation' }),
    ).toBe('late_success');
    expect(
      effectOf(notification({ success: true }), {
        attempt: attempt({ status: 'declined' }),
        as: 'operation',
      }),
    ).toBe('late_success');
    expect(
      effectOf(notification({ success: true }), {
        attempt: attempt({ status: 'unknown', resolution: 'deadline_cancel' }),
        as: 'operation',
      }),
    ).toBe('late_success');
    const automatic = attempt({ status: 'failed', capture_method: 'automatic' });
    expect(
      effectOf(notification({ kind: 'capture', success: true }), { attempt: automatic, as: 'auto_capture' }),
    ).toBe('late_success');
    // A failure report about an open attempt under resolution is the normal path.
    expect(
      effectOf(notification({ success: false }), {
        attempt: attempt({ status: 'unknown', resolution: 'awaiting_authorization' }),
        as: 'operation',
      }),
    ).toBe('settle');
  });

  it('a failure after a success of a capture or refund reverses it, once', () => {
    for (const operation of ['capture', 'refund'] as const) {
      const settled = attempt({ operation, status: 'succeeded' });
      expect(
        effectOf(notification({ kind: operation, success: false, reversal: true }), {
          attempt: settled,
          as: 'operation',
        }),
      ).toBe('reverse');
      expect(
        effectOf(notification({ kind: operation, success: false }), { attempt: settled, as: 'operation' }),
      ).toBe('reverse');
      const reversed = attempt({
        operation,
        status: 'failed',
        code: `${operation}_reversed`,
        reversed_at: new Date(),
      });
      expect(
        effectOf(notification({ kind: operation, success: false, reversal: true }), {
          attempt: reversed,
          as: 'operation',
        }),
      ).toBe('duplicate');
    }
    const automatic = attempt({ status: 'succeeded', capture_method: 'automatic' });
    expect(
      effectOf(notification({ kind: 'capture', success: false, reversal: true }), {
        attempt: automatic,
        as: 'auto_capture',
      }),
    ).toBe('reverse');
    expect(
      effectOf(notification({ kind: 'capture', success: false, reversal: true }), {
        attempt: { ...automatic, reversed_at: new Date() },
        as: 'auto_capture',
      }),
    ).toBe('duplicate');
    // An authorization or a cancel is not reversed: a failure report after its success is backwards.
    expect(
      effectOf(notification({ success: false }), {
        attempt: attempt({ status: 'succeeded' }),
        as: 'operation',
      }),
    ).toBe('backwards');
    expect(
      effectOf(notification({ kind: 'cancel', success: false }), {
        attempt: attempt({ operation: 'cancel', status: 'succeeded' }),
        as: 'operation',
      }),
    ).toBe('backwards');
  });

  it('reads a success report of an automatic-capture payment as a capture', () => {
    expect(reportsCapture({ attempt: attempt({ capture_method: 'automatic' }), as: 'operation' })).toBe(true);
    expect(reportsCapture({ attempt: attempt({ capture_method: 'manual' }), as: 'auto_capture' })).toBe(true);
    expect(reportsCapture({ attempt: attempt({ capture_method: 'manual' }), as: 'operation' })).toBe(false);
  });
});
