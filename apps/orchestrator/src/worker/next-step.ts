import type { Provider } from '@payflow/contracts';
import { isPspError } from '@payflow/psp';
import type { Operation } from '../attempts/attempt';
import { isBreakerOpenError } from '../breakers/provider-breaker';
import { backoffDelayMs, unknownReplayDelayMs, type RetryLimits } from './retry-policy';

/** A PSP call that produced no answer, in DESIGN.md's classes (plus: the breaker refused to call). */
export interface CallFailure {
  errorClass: 'declined' | 'not_executed' | 'indeterminate' | 'breaker_open';
  /** Whether repeating the same call may help (a 429 may; an amount the PSP cannot take may not). */
  retryable: boolean;
  code: string;
  message: string;
}

export function classifyFailure(error: unknown, provider: Provider): CallFailure {
  if (isBreakerOpenError(error)) {
    return {
      errorClass: 'breaker_open',
      retryable: true,
      code: 'psp_unavailable',
      message: `${provider} circuit breaker is open`,
    };
  }
  if (isPspError(error))
    return {
      errorClass: error.errorClass,
      retryable: error.retryable,
      code: error.code,
      message: error.message,
    };
  // Something we cannot explain happened around the call: it may have been sent, so never assume it was not.
  return {
    errorClass: 'indeterminate',
    retryable: true,
    code: 'internal_error',
    message: error instanceof Error ? error.message : String(error),
  };
}

export type NextStep =
  /** Final for this attempt: its `*_failed` result is published. */
  | { kind: 'fail'; code: string; message: string }
  /** Call again on the same PSP with the same idempotency key after `delayMs`. */
  | { kind: 'retry'; delayMs: number }
  /** Authorization surely not executed: a new attempt (new key) on `provider`. */
  | { kind: 'failover'; provider: Provider }
  /** Indeterminate too often: `unknown`, replayed with the same key until a webhook or replay settles it. */
  | { kind: 'unknown'; delayMs: number };

export interface NextStepInput {
  operation: Operation;
  failure: CallFailure;
  /** Claims (calls) of this attempt, this one included. */
  tryNo: number;
  /**
   * The attempt's `maybe_executed` before this call's failure: an earlier call was indeterminate or
   * accepted, or a claim lapsed without recording its outcome (the claim sets it).
   */
  maybeExecuted: boolean;
  /** Whether the attempt is already `unknown`. */
  unknown: boolean;
  /** Where an authorization could fail over to (null: nowhere eligible and available). */
  failoverTarget: Provider | null;
  /** For a breaker-open refusal: how long until the breaker lets a probe through. */
  breakerWaitMs: number;
  limits: RetryLimits;
  random?: () => number;
}

/**
 * Whether, after this failure, any call of the attempt may have been executed by the PSP: it was
 * already so, or this call's failure leaves it open (indeterminate). "Surely not executed" errors
 * and breaker refusals prove nothing about earlier calls, so they never clear it.
 */
export function mayHaveExecuted(attemptMaybeExecuted: boolean, failure: CallFailure): boolean {
  return attemptMaybeExecuted || failure.errorClass === 'indeterminate';
}

/**
 * What follows a failed call (DESIGN.md's error classes), from the attempt's state and the failure
 * alone (the worker only loads, calls and stores):
 * - declined (a refused request, an answer): final;
 * - surely not executed (or refused by the open breaker): an authorization fails over to the next
 *   eligible PSP (a new key) only when no call of it may have run; otherwise the same PSP is retried
 *   with the same key and backoff, up to NOT_EXECUTED_MAX_TRIES, then the attempt fails — or, if a
 *   call may have run, becomes unknown (never failed: that could hide a charge, never failed over:
 *   that could make a second one);
 * - indeterminate: only the same PSP with the same key, up to INDETERMINATE_MAX_TRIES, then unknown.
 * An unknown attempt stays unknown whatever a replay fails with: only an answer or a webhook
 * settles it (or the deadline, which the worker applies).
 */
export function nextStep(input: NextStepInput): NextStep {
  const { failure, limits } = input;
  const random = input.random ?? Math.random;
  const maybeExecuted = mayHaveExecuted(input.maybeExecuted, failure);
  const unknownStep: NextStep = { kind: 'unknown', delayMs: unknownReplayDelayMs(limits, random) };
  if (input.unknown) return unknownStep;
  switch (failure.errorClass) {
    case 'declined':
      return { kind: 'fail', code: failure.code, message: failure.message };
    case 'not_executed':
    case 'breaker_open': {
      if (!maybeExecuted && input.operation === 'authorize' && input.failoverTarget) {
        return { kind: 'failover', provider: input.failoverTarget };
      }
      const exhausted = !failure.retryable || input.tryNo >= limits.notExecutedMaxTries;
      if (exhausted)
        return maybeExecuted ? unknownStep : { kind: 'fail', code: failure.code, message: failure.message };
      const delayMs = Math.max(
        backoffDelayMs(input.tryNo, limits, random),
        failure.errorClass === 'breaker_open' ? input.breakerWaitMs : 0,
      );
      return { kind: 'retry', delayMs };
    }
    case 'indeterminate':
      if (input.tryNo >= limits.indeterminateMaxTries) return unknownStep;
      return { kind: 'retry', delayMs: backoffDelayMs(input.tryNo, limits, random) };
  }
}
