import { OPERATIONS, type Attempt } from '../attempts/attempt';
import {
  claimAction,
  isWaiting,
  withinReplayWindow,
  type ClaimContext,
  type ClaimState,
} from './claim-action';

const NOW = 1_000_000_000_000;
const MIN = 60_000;
const HOUR = 60 * MIN;
const ago = (ms: number) => new Date(NOW - ms);

const state = (overrides: Partial<ClaimState>): ClaimState => ({
  operation: 'authorize',
  status: 'pending',
  resolution: null,
  psp_reference: null,
  operation_psp_reference: null,
  awaiting_notification_since: null,
  unknown_since: null,
  first_called_at: null,
  ...overrides,
});

const stripe: ClaimContext = {
  nowMs: NOW,
  canPrepare: true,
  canRetrieve: true,
  canRetrieveRefund: true,
  canFindRefund: true,
  unknownOutcomeDeadlineMs: 15 * MIN,
  replayWindowMs: 23 * HOUR,
};
const adyen: ClaimContext = {
  ...stripe,
  canPrepare: false,
  canRetrieve: false,
  canRetrieveRefund: false,
  canFindRefund: false,
};

describe('claimAction', () => {
  it('prepares a Stripe authorization without its payment id, then calls (confirms) it', () => {
    expect(claimAction(state({}), stripe)).toEqual({ kind: 'prepare' });
    expect(claimAction(state({ psp_reference: 'pi_1' }), stripe)).toEqual({ kind: 'call' });
    expect(claimAction(state({}), adyen)).toEqual({ kind: 'call' });
    expect(claimAction(state({ operation: 'capture', psp_reference: 'pi_1' }), stripe)).toEqual({
      kind: 'call',
    });
  });

  it('cancels an authorization unresolved at the deadline (unknown or awaiting its webhook), once', () => {
    const unknown = state({ status: 'unknown', unknown_since: ago(15 * MIN), psp_reference: 'pi_1' });
    expect(claimAction(unknown, stripe)).toEqual({ kind: 'deadline_cancel' });
    expect(claimAction(state({ awaiting_notification_since: ago(16 * MIN) }), adyen)).toEqual({
      kind: 'deadline_cancel',
    });
    expect(claimAction({ ...unknown, resolution: 'deadline_cancel' }, stripe)).toEqual({
      kind: 'retrieve',
      what: 'payment',
    });
    expect(claimAction({ ...unknown, unknown_since: ago(14 * MIN) }, stripe)).toEqual({
      kind: 'retrieve',
      what: 'payment',
    });
  });

  it('never cancels a capture, refund or cancel at the deadline', () => {
    for (const operation of OPERATIONS.filter((o) => o !== 'authorize')) {
      const unknown = state({
        operation,
        status: 'unknown',
        unknown_since: ago(10 * HOUR),
        first_called_at: ago(10 * HOUR),
      });
      expect(claimAction(unknown, adyen)).toEqual({ kind: 'call' });
    }
  });

  it('retrieves a waiting Stripe attempt that has something to read', () => {
    expect(
      claimAction(
        state({ operation: 'capture', awaiting_notification_since: ago(MIN), psp_reference: 'pi_1' }),
        stripe,
      ),
    ).toEqual({
      kind: 'retrieve',
      what: 'payment',
    });
    expect(
      claimAction(
        state({
          operation: 'refund',
          status: 'unknown',
          unknown_since: ago(MIN),
          psp_reference: 'pi_1',
          operation_psp_reference: 're_1',
        }),
        stripe,
      ),
    ).toEqual({
      kind: 'retrieve',
      what: 'refund',
    });
    // A refund whose own id was never learnt is found by its attempt (Stripe's refunds list of the payment)…
    const lostRefund = state({
      operation: 'refund',
      status: 'unknown',
      unknown_since: ago(MIN),
      psp_reference: 'pi_1',
      first_called_at: ago(MIN),
    });
    expect(claimAction(lostRefund, stripe)).toEqual({ kind: 'retrieve', what: 'refund' });
    // …and where nothing can find it, replayed with its key while the key lives.
    expect(claimAction(lostRefund, { ...stripe, canFindRefund: false })).toEqual({ kind: 'call' });
  });

  it('Adyen: replays an unknown attempt while the key lives, then waits overdue; an awaiting one is overdue', () => {
    const unknown = state({
      operation: 'capture',
      status: 'unknown',
      unknown_since: ago(HOUR),
      psp_reference: 'P',
      first_called_at: ago(HOUR),
    });
    expect(claimAction(unknown, adyen)).toEqual({ kind: 'call' });
    expect(claimAction({ ...unknown, first_called_at: ago(23 * HOUR) }, adyen)).toEqual({ kind: 'overdue' });
    expect(
      claimAction(
        state({ operation: 'refund', awaiting_notification_since: ago(HOUR), psp_reference: 'P' }),
        adyen,
      ),
    ).toEqual({ kind: 'overdue' });
  });

  it('never replays a key past the window: reads the PSP instead, or waits', () => {
    const old = state({ operation: 'capture', psp_reference: 'pi_1', first_called_at: ago(23 * HOUR) });
    expect(claimAction(old, stripe)).toEqual({ kind: 'retrieve', what: 'payment' });
    expect(claimAction(old, adyen)).toEqual({ kind: 'overdue' });
  });

  it('every combination gives exactly one action, and never a call past the replay window', () => {
    const statuses: Attempt['status'][] = ['pending', 'unknown'];
    for (const operation of OPERATIONS)
      for (const status of statuses)
        for (const awaiting of [null, ago(HOUR)])
          for (const firstCalled of [null, ago(MIN), ago(24 * HOUR)])
            for (const reference of [null, 'ref'])
              for (const context of [stripe, adyen]) {
                const s = state({
                  operation,
                  status,
                  awaiting_notification_since: awaiting,
                  unknown_since: status === 'unknown' ? ago(MIN) : null,
                  first_called_at: firstCalled,
                  psp_reference: reference,
                  operation_psp_reference: reference,
                });
                const action = claimAction(s, context);
                if (!withinReplayWindow(s, NOW, context.replayWindowMs))
                  expect(['retrieve', 'overdue', 'deadline_cancel']).toContain(action.kind);
                if (action.kind === 'prepare')
                  expect([operation, reference, context.canPrepare]).toEqual(['authorize', null, true]);
                if (action.kind === 'retrieve') expect(context.canRetrieve).toBe(true);
                if (action.kind === 'overdue')
                  expect(isWaiting(s) || !withinReplayWindow(s, NOW, context.replayWindowMs)).toBe(true);
              }
  });
});
