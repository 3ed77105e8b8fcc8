import type { Attempt } from '../attempts/attempt';

/** What a claimed attempt gets, decided from its state alone (the worker only loads, calls and stores). */
export type ClaimAction =
  /** The PSP call the attempt stands for, under its key (first call, retry, or same-key replay). */
  | { kind: 'call' }
  /** Stripe: create the payment unconfirmed first (no money moves), record its id, then confirm it. */
  | { kind: 'prepare' }
  /** Read the state at the PSP instead of calling (`payment`: `retrieve`; `refund`: `retrieveRefund`). */
  | { kind: 'retrieve'; what: 'payment' | 'refund' }
  /** An authorization unresolved at UNKNOWN_OUTCOME_DEADLINE_MS: cancel it by reference (compensating cancel). */
  | { kind: 'deadline_cancel' }
  /** Nothing may be sent and nothing can be read: overdue, pending until the PSP's notification. */
  | { kind: 'overdue' };

export type ClaimState = Pick<
  Attempt,
  | 'operation'
  | 'status'
  | 'resolution'
  | 'psp_reference'
  | 'operation_psp_reference'
  | 'awaiting_notification_since'
  | 'unknown_since'
  | 'first_called_at'
>;

export interface ClaimContext {
  nowMs: number;
  /** The connector has `prepareAuthorization` (Stripe). */
  canPrepare: boolean;
  /** `capabilities.retrieve`: payments can be read back (Stripe). */
  canRetrieve: boolean;
  /** The connector has `retrieveRefund` (Stripe). */
  canRetrieveRefund: boolean;
  /** The connector has `findRefund` (Stripe): a refund whose id was never learnt is found by its attempt. */
  canFindRefund: boolean;
  unknownOutcomeDeadlineMs: number;
  /** No same-key replay later than this after the first money call (Stripe keeps keys 24 h). */
  replayWindowMs: number;
}

/** Whether the attempt's key may still be replayed: the PSP still remembers it (first call + window). */
export function withinReplayWindow(
  state: Pick<ClaimState, 'first_called_at'>,
  nowMs: number,
  replayWindowMs: number,
): boolean {
  return state.first_called_at === null || nowMs - state.first_called_at.getTime() < replayWindowMs;
}

/** Accepted by the PSP and waiting for its word (a webhook), or unknown. */
export function isWaiting(state: Pick<ClaimState, 'status' | 'awaiting_notification_since'>): boolean {
  return (
    state.status === 'unknown' || (state.status === 'pending' && state.awaiting_notification_since !== null)
  );
}

/** What the PSP can be asked about this attempt: its payment, its refund (by its id, or by the attempt), or nothing. */
function retrievable(state: ClaimState, context: ClaimContext): 'payment' | 'refund' | null {
  if (state.operation === 'refund') {
    const byId = context.canRetrieveRefund && state.operation_psp_reference;
    const byAttempt = context.canFindRefund && state.psp_reference;
    return byId || byAttempt ? 'refund' : null;
  }
  return context.canRetrieve && state.psp_reference ? 'payment' : null;
}

/**
 * What a claimed attempt gets, in this order:
 * 1. an authorization unresolved (unknown, or accepted and awaiting its webhook) since
 *    UNKNOWN_OUTCOME_DEADLINE_MS, with no resolution under way → cancelled by reference;
 * 2. waiting (awaiting its webhook, or unknown) → retrieved where the PSP can be read (Stripe);
 *    else an unknown attempt is replayed with its key while the PSP remembers the key; else overdue
 *    (Adyen: pending until the notification, which Adyen retries for days);
 * 3. due for a call after the replay window (a retry series older than the PSP's key memory) →
 *    retrieved if possible, else overdue: a replay now could be a new charge;
 * 4. a Stripe authorization without its payment id → prepared first; anything else → called.
 */
export function claimAction(state: ClaimState, context: ClaimContext): ClaimAction {
  const waiting = isWaiting(state);
  const read = retrievable(state, context);
  const inWindow = withinReplayWindow(state, context.nowMs, context.replayWindowMs);
  if (state.operation === 'authorize' && waiting && state.resolution === null) {
    const since = state.status === 'unknown' ? state.unknown_since : state.awaiting_notification_since;
    if (since && context.nowMs - since.getTime() >= context.unknownOutcomeDeadlineMs)
      return { kind: 'deadline_cancel' };
  }
  if (waiting) {
    if (read) return { kind: 'retrieve', what: read };
    return state.status === 'unknown' && inWindow ? { kind: 'call' } : { kind: 'overdue' };
  }
  if (!inWindow) return read ? { kind: 'retrieve', what: read } : { kind: 'overdue' };
  if (state.operation === 'authorize' && context.canPrepare && !state.psp_reference)
    return { kind: 'prepare' };
  return { kind: 'call' };
}
