import type { PspRefundSnapshot } from '@payflow/psp';
import { backoffDelayMs } from './retry-policy';

/** What a read of a succeeded refund leads to. */
export type RefundWatchStep =
  /** The PSP says it failed after all (Stripe `failed`, `canceled`): reversed. */
  | { kind: 'reverse' }
  /** Still succeeded (or the read failed): read again after `delayMs`. */
  | { kind: 'again'; delayMs: number }
  /** Watched long enough: no more reads (a later failure still comes by webhook). */
  | { kind: 'done' };

export interface RefundWatchInput {
  /** The refund's state at the PSP, or null when the read failed (which says nothing). */
  status: PspRefundSnapshot['status'] | null;
  settledAtMs: number;
  nowMs: number;
  /** Reads so far (this one not included). */
  tries: number;
  /** PSP_REFUND_WATCH_MS: how long after its success a refund is read again. */
  watchForMs: number;
  /** PSP_RECONCILE_AFTER_MS / PSP_RECONCILE_MAX_INTERVAL_MS: the reads' backoff. */
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}

/**
 * A succeeded refund at a PSP whose refunds can be read (Stripe) is read again, with backoff, for
 * PSP_REFUND_WATCH_MS after it succeeded: a refund that fails later is then reversed even when its
 * `refund.failed` webhook is lost. A failure is acted on whenever it is seen, even at the horizon.
 */
export function refundWatchStep(input: RefundWatchInput): RefundWatchStep {
  if (input.status === 'failed' || input.status === 'canceled') return { kind: 'reverse' };
  if (input.nowMs - input.settledAtMs >= input.watchForMs) return { kind: 'done' };
  const delayMs = backoffDelayMs(
    input.tries + 1,
    { baseDelayMs: input.baseDelayMs, maxDelayMs: input.maxDelayMs },
    input.random,
  );
  return { kind: 'again', delayMs };
}
