/**
 * Escalation is anchored on the earliest unpaid invoice (issue 12; Kill Bill #2297 is what happens
 * otherwise): every open case of a subscription counts its schedule from the first failure of the
 * subscription's earliest open case, so a later invoice that fails while an earlier one is still
 * being collected reaches the end of the schedule together with it, and paying the later one skips
 * no step. Once the earliest is paid (or voided, or exhausted: no longer open), the next open case's
 * own first failure becomes the anchor. The caller recomputes it for every decision.
 */
export interface OpenCaseStart {
  /** The case's first failed attempt, unix seconds on the customer's clock. */
  first_failure_at: number;
}

/** The schedule's day 0 for a decision: the earliest first failure among the subscription's open cases (the deciding case included), or null if there is none. */
export function anchorOf(openCases: readonly OpenCaseStart[]): number | null {
  if (openCases.length === 0) return null;
  return Math.min(...openCases.map((c) => c.first_failure_at));
}
