import type { PspNotificationReceivedData } from '@payflow/contracts';
import { isSettled, type Attempt, type Operation } from '../attempts/attempt';

const OPERATION_OF_KIND: Readonly<Record<string, Operation | undefined>> = {
  authorization: 'authorize',
  capture: 'capture',
  refund: 'refund',
  cancel: 'cancel',
};

export interface NotificationMatch {
  attempt: Attempt;
  /** `auto_capture`: a capture report about an authorization made with automatic capture. */
  as: 'operation' | 'auto_capture';
}

/** Prefers an attempt still open; else the latest one (to recognise a duplicate or a backwards report). */
function pick(attempts: Attempt[]): Attempt | undefined {
  return [...attempts].reverse().find((a) => !isSettled(a.status)) ?? attempts[attempts.length - 1];
}

/**
 * Which attempt a notification reports on, among the attempts of its intent (oldest first), or null
 * when none can take it yet (it is then kept pending). Only signed fields and the attempts' own
 * references are used: the attempt it names (Adyen's signed merchantReference, Stripe's signed
 * metadata), else its kind and PSP reference. A notification naming an attempt that does not exist
 * yet waits for it rather than settling another.
 */
export function matchNotification(
  n: PspNotificationReceivedData,
  attempts: readonly Attempt[],
): NotificationMatch | null {
  if (n.kind === 'cancel_or_refund') return matchCancelOrRefund(n, attempts);
  const operation = OPERATION_OF_KIND[n.kind];
  if (!operation) return null;
  const own = attempts.filter((a) => a.provider === n.provider);
  if (n.attempt_id) {
    const named = own.find((a) => a.id === n.attempt_id);
    if (!named) return null;
    if (named.operation === operation) return { attempt: named, as: 'operation' };
    if (operation === 'capture' && named.operation === 'authorize' && named.capture_method === 'automatic') {
      return { attempt: named, as: 'auto_capture' };
    }
    // Named, but about another step (e.g. Stripe's `succeeded` after a capture names the
    // authorization when the capture set no attempt metadata): match by kind below.
  }
  const ofOperation = own.filter((a) => a.operation === operation);
  let found: Attempt | undefined;
  switch (operation) {
    case 'refund':
      found = pick(
        ofOperation.filter(
          (a) =>
            (n.refund_id && a.refund_id === n.refund_id) || a.operation_psp_reference === n.psp_reference,
        ),
      );
      break;
    case 'authorize':
      found = pick(ofOperation.filter((a) => !a.compensating && a.psp_reference === n.psp_reference));
      break;
    default:
      found = pick(ofOperation.filter((a) => a.psp_reference === n.psp_reference));
  }
  if (found) return { attempt: found, as: 'operation' };
  if (operation === 'capture') {
    const automatic = pick(
      own.filter(
        (a) =>
          a.operation === 'authorize' &&
          a.capture_method === 'automatic' &&
          a.psp_reference === n.psp_reference,
      ),
    );
    if (automatic) return { attempt: automatic, as: 'auto_capture' };
  }
  return null;
}

/**
 * Adyen `CANCEL_OR_REFUND`: a void if the payment was not captured, else a refund. It settles the
 * cancel or refund attempt it names; else a cancel of that payment, else a refund of it (PayFlow's
 * own compensating refunds included), open ones first.
 */
function matchCancelOrRefund(
  n: PspNotificationReceivedData,
  attempts: readonly Attempt[],
): NotificationMatch | null {
  const own = attempts.filter(
    (a) => a.provider === n.provider && (a.operation === 'cancel' || a.operation === 'refund'),
  );
  if (n.attempt_id) {
    const named = own.find((a) => a.id === n.attempt_id);
    return named ? { attempt: named, as: 'operation' } : null;
  }
  const ofPayment = (operation: Operation) =>
    own.filter((a) => a.operation === operation && a.psp_reference === n.psp_reference);
  const found = pick(ofPayment('cancel')) ?? pick(ofPayment('refund'));
  return found ? { attempt: found, as: 'operation' } : null;
}

/**
 * What a matched notification does, whatever order notifications and API answers arrive in:
 * - `settle`: the attempt is still open: the notification decides it;
 * - `duplicate`: it is already in the state the notification reports: no second effect;
 * - `late_success`: the PSP reports a success for an authorization PayFlow gave up on (failed,
 *   declined) or is resolving at its deadline: adopted, waited on, voided or refunded
 *   (`lateSuccessEffect`);
 * - `reverse`: a capture or refund the PSP had reported succeeded failed after all (Adyen
 *   CAPTURE_FAILED, REFUND_FAILED, REFUNDED_REVERSED; a Stripe refund turning failed);
 * - `backwards`: it would move a settled attempt to another outcome: recorded and ignored.
 */
export type NotificationEffect = 'settle' | 'duplicate' | 'late_success' | 'reverse' | 'backwards';

export function effectOf(n: PspNotificationReceivedData, match: NotificationMatch): NotificationEffect {
  const { attempt } = match;
  const authorizationSuccess = n.success && attempt.operation === 'authorize' && !attempt.compensating;
  if (!isSettled(attempt.status)) {
    if (authorizationSuccess && attempt.resolution !== null) return 'late_success';
    // A failed capture report cannot settle an automatic-capture authorization: it says nothing of the authorization.
    return match.as === 'auto_capture' && !n.success ? 'backwards' : 'settle';
  }
  const succeeded = attempt.status === 'succeeded';
  const moneyMoved =
    attempt.operation === 'capture' || attempt.operation === 'refund' || match.as === 'auto_capture';
  if (succeeded && !n.success && moneyMoved) return attempt.reversed_at ? 'duplicate' : 'reverse';
  if (n.success === succeeded) return 'duplicate';
  if (authorizationSuccess) return 'late_success';
  return 'backwards';
}

/** Whether a success report says the payment was captured (automatic capture), not only held. */
export function reportsCapture(match: NotificationMatch): boolean {
  return match.as === 'auto_capture' || match.attempt.capture_method === 'automatic';
}
