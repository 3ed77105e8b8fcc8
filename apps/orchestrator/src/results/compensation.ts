import { isSettled, type Attempt } from '../attempts/attempt';

/**
 * A success the PSP reports for an authorization (a webhook, or a retrieve), by what PayFlow has
 * told the intent so far:
 * - `adopt`: the attempt is still open and no deadline resolution is under way: the normal settle;
 * - `wait`: the deadline cancel is running: its answer decides (a void releases the hold; a refusal
 *   because it was captured leads to a refund) — the report is kept until then;
 * - `void` / `refund`: PayFlow gave up on it (failed, declined, or the cancel was refused because
 *   the payment was captured): undo it at the PSP — a void of a hold, a refund of a capture;
 * - `compensated`: already undone or being undone (one compensation per authorization), or the
 *   authorization succeeded anyway (a duplicate).
 */
export type LateSuccessEffect = 'adopt' | 'wait' | 'void' | 'refund' | 'compensated';

type Authorization = Pick<Attempt, 'id' | 'status' | 'resolution'>;
type Compensating = Pick<Attempt, 'compensates_attempt_id' | 'compensation' | 'status'>;

export function lateSuccessEffect(
  authorization: Authorization,
  attempts: readonly Compensating[],
  captured: boolean,
): LateSuccessEffect {
  if (authorization.status === 'succeeded') return 'compensated';
  const open = !isSettled(authorization.status);
  if (open && authorization.resolution === null) return 'adopt';
  if (open && authorization.resolution === 'deadline_cancel') return 'wait';
  const own = attempts.filter((a) => a.compensates_attempt_id === authorization.id);
  const undone = own.some(
    (a) =>
      a.compensation === 'late_success_void' ||
      a.compensation === 'late_success_refund' ||
      (a.compensation === 'deadline_cancel' && a.status === 'succeeded'),
  );
  if (undone) return 'compensated';
  // The deadline cancel was refused because the payment was captured: what the PSP reports now is that capture.
  if (authorization.resolution === 'awaiting_authorization') return 'refund';
  return captured ? 'refund' : 'void';
}

/**
 * What follows when a compensating attempt ends:
 * - `fail_authorization`: the deadline cancel released whatever was held (or the PSP refused it for
 *   another reason than a capture: nothing is held that a void could release) — the authorization
 *   is failed with PayFlow's own `payment_outcome_unknown`;
 * - `refund_now`: the deadline cancel was refused because the payment was captured and PayFlow
 *   knows the payment's reference (Stripe: the recorded id): refund it at once;
 * - `await_authorization`: refused because captured, reference unknown (Adyen's technical cancel):
 *   the refund follows the PSP's authorization report;
 * - `reversed`: a late success was undone (`payment.late_success_reversed`); `andFail` when the
 *   authorization was still under its deadline resolution (it is failed then);
 * - `stuck`: a void or refund of a late success was refused: operators must act (logged, counted);
 * - `none`: not settled yet, or the authorization was settled meanwhile by the PSP's own report.
 */
export type CompensationFollowUp =
  | { kind: 'fail_authorization' }
  | { kind: 'refund_now' }
  | { kind: 'await_authorization' }
  | { kind: 'reversed'; andFail: boolean }
  | { kind: 'stuck' }
  | { kind: 'none' };

type Ended = Pick<Attempt, 'compensation' | 'status' | 'code' | 'provider'>;

/** `capturedRefusal`: whether a refused cancel means "already captured" (Stripe's code; any refusal of Adyen's technical cancel). */
export function compensationFollowUp(
  ended: Ended,
  authorization: Pick<Attempt, 'psp_reference' | 'resolution' | 'status'>,
  capturedRefusal: boolean,
): CompensationFollowUp {
  if (!isSettled(ended.status)) return { kind: 'none' };
  const succeeded = ended.status === 'succeeded';
  switch (ended.compensation) {
    case 'deadline_cancel':
      // Settled meanwhile by the PSP's own report (a decline, say): that report was its word.
      if (isSettled(authorization.status)) return { kind: 'none' };
      if (succeeded || !capturedRefusal) return { kind: 'fail_authorization' };
      return authorization.psp_reference ? { kind: 'refund_now' } : { kind: 'await_authorization' };
    case 'late_success_void':
    case 'late_success_refund':
      return succeeded
        ? { kind: 'reversed', andFail: authorization.resolution !== null && !isSettled(authorization.status) }
        : { kind: 'stuck' };
    case null:
      return { kind: 'none' };
  }
}

/**
 * Whether a refused deadline cancel means "already captured": Stripe says so by code; Adyen refuses
 * a technical cancel only then, and a cancel of an automatic-capture payment only because it was
 * captured (a manual-capture payment nobody captured can only have been refused for another reason).
 * When in doubt it is "captured": a refund the PSP refuses is logged for operators, whereas failing
 * a captured payment would leave the customer charged for a failed intent.
 */
export function isCapturedRefusal(
  ended: Pick<Attempt, 'code' | 'provider'>,
  authorization: Pick<Attempt, 'capture_method'>,
  byReference: boolean,
): boolean {
  if (ended.code === 'already_captured') return true;
  return ended.provider === 'adyen' && (byReference || authorization.capture_method === 'automatic');
}
