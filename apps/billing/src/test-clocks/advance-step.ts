/**
 * The advance saga's one decision, pure (DESIGN.md "Time"; docs/billing.md "Test clocks and time").
 * Given what the database says about one `advancing` clock, what is its next move? The service
 * gathers the facts under the clock's row lock, asks this, and does what it answers; a crash at any
 * point leaves the facts in the database, so the next replica asks again and continues.
 *
 * Times are epoch milliseconds (timestamptz precision is finer, but clocks are set from ISO strings
 * and seconds, so milliseconds lose nothing).
 */

export interface AdvanceFacts {
  /** The clock's time now. */
  frozenMs: number;
  /** Where the advance goes; the clock is `ready` again when it is there and all work is done. */
  targetMs: number;
  /**
   * Open scheduled work of the clock due at or before `frozenMs`: it must run before the clock
   * moves on (work of the current instant, a step a crash interrupted, or work a handler or a
   * request scheduled at an instant the clock has already reached).
   */
  dueNow: boolean;
  /** The earliest open work (or other due instant, see TestClockGate) after `frozenMs`, if any. */
  nextDueMs: number | null;
  /**
   * Why the clock may not move yet: payments requested at this instant without an answer,
   * and whatever the gates add (dunning, issue 12). Empty: nothing to wait for.
   */
  waitingFor: readonly string[];
}

export type AdvanceStep =
  /** Run the clock's work due up to `atMs` (its current time) — the clock does not move. */
  | { kind: 'run_due'; atMs: number }
  /** Stay at this instant: answers are outstanding. */
  | { kind: 'wait'; reasons: readonly string[] }
  /** Move `frozen_time` to `toMs`, publish `test_clock.advanced`, then run the work due there. */
  | { kind: 'move'; toMs: number }
  /** At the target with nothing left to do or wait for: the clock is `ready`. */
  | { kind: 'finish' };

/**
 * Order of precedence, each because of the one before it: work due at the current instant runs
 * first (it is part of this instant, and may itself request payments); then the clock waits for
 * every answer of this instant; only then does it move, to the earliest due instant but never past
 * the target, so every boundary, draft and expiry on the way happens at its own time and in order.
 */
export function decideAdvanceStep(facts: AdvanceFacts): AdvanceStep {
  const { frozenMs, targetMs, dueNow, nextDueMs, waitingFor } = facts;
  if (!Number.isFinite(frozenMs) || !Number.isFinite(targetMs)) {
    throw new RangeError(`advance facts need finite times (frozen ${frozenMs}, target ${targetMs})`);
  }
  if (dueNow) return { kind: 'run_due', atMs: frozenMs };
  if (waitingFor.length > 0) return { kind: 'wait', reasons: waitingFor };
  if (frozenMs >= targetMs) return { kind: 'finish' };
  // Work due later than the target waits for a later advance; a due instant in the past of the
  // clock (it cannot be, dueNow covers it) would never be moved back to.
  const next = nextDueMs !== null && nextDueMs > frozenMs && nextDueMs < targetMs ? nextDueMs : targetMs;
  return { kind: 'move', toMs: next };
}

/** Advance requests: the new time must be later than the clock's (API.md: forward only). */
export type AdvanceRefusal = 'advancing' | 'not_later';

/**
 * Whether a clock at `frozenMs` in `status` may be advanced to `requestedMs`. A clock that is
 * advancing refuses first (409): its time is moving, so "later than its time" is not yet defined.
 */
export function checkAdvance(
  clock: { status: 'ready' | 'advancing'; frozenMs: number },
  requestedMs: number,
): AdvanceRefusal | null {
  if (clock.status === 'advancing') return 'advancing';
  if (!(requestedMs > clock.frozenMs)) return 'not_later';
  return null;
}

/**
 * Whether a clock waiting at one instant has waited too long (TEST_CLOCK_STEP_TIMEOUT_MS). It keeps
 * waiting — answers come, and the orchestrator has its own deadlines — but it is counted and logged.
 */
export function isWaitingTooLong(waitingSinceMs: number | null, nowMs: number, timeoutMs: number): boolean {
  return waitingSinceMs !== null && nowMs - waitingSinceMs > timeoutMs;
}
