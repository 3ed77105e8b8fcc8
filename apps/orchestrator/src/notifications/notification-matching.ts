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
 * when none can take it yet (it is then kept pending). A notification naming an attempt that does
 * not exist yet waits for it rather than settling another.
 */
export function matchNotification(
  n: PspNotificationReceivedData,
  attempts: readonly Attempt[],
): NotificationMatch | null {
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
 * What a matched notification does, whatever order notifications and API answers arrive in:
 * - `settle`: the attempt is still open: the notification decides it;
 * - `duplicate`: it is already in the state the notification reports: no second effect;
 * - `void_late_authorization`: an authorization PayFlow reported failed succeeded at the PSP after
 *   all: the money is held there, so it is voided (the failure stands);
 * - `backwards`: it would move a settled attempt to another outcome: recorded and ignored.
 */
export type NotificationEffect = 'settle' | 'duplicate' | 'void_late_authorization' | 'backwards';

export function effectOf(n: PspNotificationReceivedData, match: NotificationMatch): NotificationEffect {
  const { attempt } = match;
  if (!isSettled(attempt.status)) {
    // A failed capture report cannot settle an automatic-capture authorization: it says nothing of the authorization.
    return match.as === 'auto_capture' && !n.success ? 'backwards' : 'settle';
  }
  const succeeded = attempt.status === 'succeeded';
  if (n.success === succeeded) return 'duplicate';
  if (n.success && attempt.operation === 'authorize' && match.as === 'operation' && !attempt.compensating) {
    return 'void_late_authorization';
  }
  return 'backwards';
}
