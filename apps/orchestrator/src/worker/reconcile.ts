import type { PspPaymentSnapshot, PspRefundSnapshot } from '@payflow/psp';
import type { Attempt } from '../attempts/attempt';
import type { Settlement } from '../results/settlement';

/**
 * What a retrieve says about a waiting attempt:
 * - `settle`: the PSP's state decides it (a success, a decline with its fields, a refusal);
 * - `replay`: the operation has not happened at the PSP (a Stripe payment still
 *   `requires_confirmation`, an authorization not captured yet): send it (again) under its key;
 * - `pending`: still under way at the PSP (`processing`, a pending refund): read it again later.
 */
export type Reconciliation =
  { kind: 'settle'; settlement: Settlement } | { kind: 'replay' } | { kind: 'pending' };

type Reconciled = Pick<Attempt, 'operation' | 'status' | 'amount' | 'psp_reference' | 'capture_method'>;

/**
 * A payment snapshot (Stripe `retrieve`) against the authorization, capture or cancel waiting on it.
 * `pending` at Stripe is `requires_confirmation` or `processing` alike. For an `unknown`
 * authorization (no answer ever came) replaying the confirm with the attempt's key is safe either
 * way (it confirms once, or answers the first confirm) — while the key lives. One that was answered
 * (`processing`, awaiting its webhook) was confirmed: it is only read again. Past the replay window
 * the attempt stays pending: an authorization then reaches its deadline and is cancelled by id
 * (claimAction), which ends every case.
 */
export function reconcilePayment(
  attempt: Reconciled,
  snapshot: PspPaymentSnapshot,
  withinWindow: boolean,
): Reconciliation {
  const pspReference = snapshot.pspReference;
  const refused = (code: string, message: string): Reconciliation => ({
    kind: 'settle',
    settlement: { status: 'failed', code, message, errorClass: 'declined', pspReference },
  });
  switch (attempt.operation) {
    case 'authorize':
      switch (snapshot.status) {
        case 'authorized':
          return {
            kind: 'settle',
            settlement: { status: 'succeeded', pspReference, amount: snapshot.amount, amountCaptured: 0 },
          };
        case 'captured':
          return {
            kind: 'settle',
            settlement: {
              status: 'succeeded',
              pspReference,
              amount: snapshot.amount,
              amountCaptured: snapshot.amountReceived,
            },
          };
        case 'failed': {
          const decline = snapshot.lastDecline;
          return {
            kind: 'settle',
            settlement: {
              status: 'declined',
              code: decline?.code ?? 'card_declined',
              declineCode: decline?.declineCode ?? null,
              message: decline?.message ?? `${snapshot.provider} declined the authorization`,
              network: decline?.network ?? null,
              adviceCode: decline?.adviceCode ?? null,
              pspReference,
            },
          };
        }
        case 'canceled':
          return refused(
            'payment_canceled',
            `${snapshot.provider} reports the payment canceled before it was authorized`,
          );
        case 'pending':
          return withinWindow && attempt.status === 'unknown' ? { kind: 'replay' } : { kind: 'pending' };
      }
      break;
    case 'capture':
      switch (snapshot.status) {
        case 'captured':
          return {
            kind: 'settle',
            settlement: { status: 'succeeded', amount: snapshot.amountReceived || attempt.amount },
          };
        // Not captured yet: capturing is safe even under a new key (a payment captures once).
        case 'authorized':
          return { kind: 'replay' };
        case 'canceled':
        case 'failed':
          return refused(
            'capture_failed',
            `${snapshot.provider} reports the payment ${snapshot.status}: nothing can be captured`,
          );
        case 'pending':
          return { kind: 'pending' };
      }
      break;
    case 'cancel':
      switch (snapshot.status) {
        // A failed payment holds nothing either: what the cancel wanted.
        case 'canceled':
        case 'failed':
          return { kind: 'settle', settlement: { status: 'succeeded', amount: attempt.amount } };
        // Voiding twice is harmless: the PSP voids once.
        case 'authorized':
        case 'pending':
          return { kind: 'replay' };
        case 'captured':
          return refused(
            'already_captured',
            `${snapshot.provider} payment ${pspReference} is already captured and cannot be voided`,
          );
      }
      break;
    case 'refund':
      break;
  }
  return { kind: 'pending' };
}

/**
 * A refund snapshot (Stripe `retrieveRefund`, or `findRefund` by the attempt) against the refund
 * attempt waiting on it. None found: the PSP holds no refund of this attempt — it never executed,
 * so sending it is safe, even past the replay window (there is nothing to refund twice).
 */
export function reconcileRefund(snapshot: PspRefundSnapshot | undefined): Reconciliation {
  if (!snapshot) return { kind: 'replay' };
  switch (snapshot.status) {
    case 'succeeded':
      return {
        kind: 'settle',
        settlement: {
          status: 'succeeded',
          amount: snapshot.amount,
          operationPspReference: snapshot.pspReference,
        },
      };
    case 'failed':
    case 'canceled':
      return {
        kind: 'settle',
        settlement: {
          status: 'failed',
          code: 'refund_failed',
          message: `${snapshot.provider} reports the refund ${snapshot.status}${snapshot.failureReason ? ` (${snapshot.failureReason})` : ''}`,
          errorClass: 'declined',
        },
      };
    case 'pending':
      return { kind: 'pending' };
  }
}
