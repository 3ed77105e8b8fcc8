import type { PspPaymentSnapshot, PspPaymentStatus } from '@payflow/psp';
import { reconcilePayment, reconcileRefund } from './reconcile';

const snapshot = (
  status: PspPaymentStatus,
  overrides: Partial<PspPaymentSnapshot> = {},
): PspPaymentSnapshot => ({
  provider: 'stripe',
  pspReference: 'pi_1',
  status,
  amount: 1_000,
  amountCapturable: status === 'authorized' ? 1_000 : 0,
  amountReceived: status === 'captured' ? 1_000 : 0,
  currency: 'USD',
  ...overrides,
});
const attempt = (
  operation: 'authorize' | 'capture' | 'cancel',
  status: 'unknown' | 'pending' = 'unknown',
) => ({
  operation,
  status,
  amount: 1_000,
  psp_reference: 'pi_1',
  capture_method: 'manual' as const,
});
const STATUSES: PspPaymentStatus[] = ['pending', 'authorized', 'captured', 'canceled', 'failed'];

describe('reconcilePayment', () => {
  it('authorization: every status, inside and past the replay window', () => {
    const table = STATUSES.flatMap((status) =>
      [true, false].map((inWindow) => {
        const r = reconcilePayment(attempt('authorize'), snapshot(status), inWindow);
        return [status, inWindow, r.kind === 'settle' ? r.settlement.status : r.kind];
      }),
    );
    expect(table).toEqual([
      ['pending', true, 'replay'],
      ['pending', false, 'pending'],
      ['authorized', true, 'succeeded'],
      ['authorized', false, 'succeeded'],
      ['captured', true, 'succeeded'],
      ['captured', false, 'succeeded'],
      ['canceled', true, 'failed'],
      ['canceled', false, 'failed'],
      ['failed', true, 'declined'],
      ['failed', false, 'declined'],
    ]);
  });

  it('an answered authorization still pending (processing) is only read again, never replayed', () => {
    expect(reconcilePayment(attempt('authorize', 'pending'), snapshot('pending'), true)).toEqual({
      kind: 'pending',
    });
    expect(reconcilePayment(attempt('authorize', 'pending'), snapshot('authorized'), true)).toMatchObject({
      kind: 'settle',
    });
  });

  it('a captured authorization says what was captured; a decline keeps every field', () => {
    expect(
      reconcilePayment(attempt('authorize'), snapshot('captured', { amountReceived: 700 }), true),
    ).toEqual({
      kind: 'settle',
      settlement: { status: 'succeeded', pspReference: 'pi_1', amount: 1_000, amountCaptured: 700 },
    });
    const lastDecline = {
      code: 'lost_card',
      declineCode: 'lost_card',
      message: 'lost',
      declineKind: 'hard' as const,
      network: 'visa',
      adviceCode: '03',
    };
    expect(reconcilePayment(attempt('authorize'), snapshot('failed', { lastDecline }), true)).toEqual({
      kind: 'settle',
      settlement: {
        status: 'declined',
        code: 'lost_card',
        declineCode: 'lost_card',
        message: 'lost',
        network: 'visa',
        adviceCode: '03',
        pspReference: 'pi_1',
      },
    });
  });

  it('capture and cancel: every status', () => {
    const kinds = (operation: 'capture' | 'cancel') =>
      STATUSES.map((status) => {
        const r = reconcilePayment(attempt(operation), snapshot(status), false);
        return r.kind === 'settle'
          ? `${r.settlement.status}${r.settlement.status === 'failed' ? `:${r.settlement.code}` : ''}`
          : r.kind;
      });
    expect(kinds('capture')).toEqual([
      'pending',
      'replay',
      'succeeded',
      'failed:capture_failed',
      'failed:capture_failed',
    ]);
    expect(kinds('cancel')).toEqual([
      'replay',
      'replay',
      'failed:already_captured',
      'succeeded',
      'succeeded',
    ]);
  });
});

describe('reconcileRefund', () => {
  it('every status', () => {
    const base = { provider: 'stripe' as const, pspReference: 're_1', amount: 500, currency: 'USD' };
    expect(reconcileRefund({ ...base, status: 'succeeded' })).toEqual({
      kind: 'settle',
      settlement: { status: 'succeeded', amount: 500, operationPspReference: 're_1' },
    });
    expect(reconcileRefund({ ...base, status: 'pending' })).toEqual({ kind: 'pending' });
    // None found by its attempt: it never executed, so it is sent.
    expect(reconcileRefund(undefined)).toEqual({ kind: 'replay' });
    for (const status of ['failed', 'canceled'] as const) {
      expect(reconcileRefund({ ...base, status, failureReason: 'lost_or_stolen_card' })).toMatchObject({
        kind: 'settle',
        settlement: { status: 'failed', code: 'refund_failed', errorClass: 'declined' },
      });
    }
  });
});
