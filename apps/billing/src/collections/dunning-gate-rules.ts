import { isWaitingTooLong } from '../test-clocks/advance-step';

/**
 * One open invoice of the clock with a failed attempt (a dunning case; first invoices excluded),
 * as the dunning gate reads it.
 */
export interface ClockCase {
  invoice: string;
  /** Its last failed attempt (`invoice.payment_failed` published for it). */
  last_failed_attempt: number;
  /** Whether dunning's decision on that attempt has arrived (`dunning.decided`). */
  decided: boolean;
  /**
   * A `retry_scheduled` decided on the invoice's current attempt (so attempt n+1 is not requested
   * yet, and nothing is in flight): its instant; else null.
   */
  retry_due_at_ms: number | null;
  /** Dunning exhausted the case (decided `exhausted`) and billing has not handled its `dunning.exhausted` yet. */
  final_action_pending?: boolean;
}

export interface DunningGateFacts {
  /** The clock's time. */
  frozenMs: number;
  cases: readonly ClockCase[];
  /** The latest `dunning.clock_synced` of the clock (its frozen_time), null if none arrived. */
  syncedMs: number | null;
  /**
   * Whether the clock's instant was announced (`test_clock.advanced`: the clock has taken a step).
   * Dunning syncs only instants it was told about; a clock still at its creation time has none.
   */
  instantAnnounced: boolean;
  /** When (wall clock) the clock reached this instant, and now: TEST_CLOCK_STEP_TIMEOUT_MS's way out. */
  waitingSinceMs: number | null;
  nowMs: number;
  timeoutMs: number;
}

export type DunningGateAnswer =
  | { kind: 'pass' }
  | { kind: 'wait'; reasons: string[] }
  /** Held past TEST_CLOCK_STEP_TIMEOUT_MS: the clock goes on without dunning (logged, counted). */
  | { kind: 'released'; reasons: string[] };

/** Most invoices named per kind of reason (the rest are counted as `…`). */
const LISTED = 5;

/**
 * Whether dunning holds a test clock at its instant (docs/dunning.md "Billing's side"; SPEC "The
 * dunning gate"). Only while the clock has a case — an open invoice with a failed attempt that is
 * not a subscription's first — so a clock whose payments succeed never waits for dunning. Then it
 * waits until (a) dunning decided every failure (the last failed attempt of each case), (b) dunning
 * synced the clock to this instant (`dunning.clock_synced` ≥ frozen_time: every retry due by now
 * was issued; only for an instant a `test_clock.advanced` announced), (c) no retry due by now is
 * still unrequested, and (d) a case dunning exhausted has had its final action applied. A clock held longer than
 * TEST_CLOCK_STEP_TIMEOUT_MS at one instant is released (dunning not running, or stuck): the
 * rehearsal goes on, and retries issued later are still applied then.
 */
export function decideDunningGate(facts: DunningGateFacts): DunningGateAnswer {
  if (facts.cases.length === 0) return { kind: 'pass' };
  const reasons = [
    ...listed(
      'dunning_undecided',
      facts.cases.filter((c) => !c.decided).map((c) => `${c.invoice}#${c.last_failed_attempt}`),
    ),
    ...(facts.instantAnnounced && (facts.syncedMs === null || facts.syncedMs < facts.frozenMs)
      ? [`dunning_clock_sync:${new Date(facts.frozenMs).toISOString()}`]
      : []),
    ...listed(
      'dunning_retry_due',
      facts.cases.filter((c) => c.retry_due_at_ms !== null && c.retry_due_at_ms <= facts.frozenMs).map((c) => c.invoice),
    ),
    // (d) the final action of a case exhausted now is applied at this instant, before any renewal after it.
    ...listed(
      'dunning_final_action',
      facts.cases.filter((c) => c.final_action_pending).map((c) => c.invoice),
    ),
  ];
  if (reasons.length === 0) return { kind: 'pass' };
  if (isWaitingTooLong(facts.waitingSinceMs, facts.nowMs, facts.timeoutMs)) return { kind: 'released', reasons };
  return { kind: 'wait', reasons };
}

function listed(kind: string, subjects: readonly string[]): string[] {
  const reasons = subjects.slice(0, LISTED).map((subject) => `${kind}:${subject}`);
  if (subjects.length > LISTED) reasons.push(`${kind}:…`);
  return reasons;
}
