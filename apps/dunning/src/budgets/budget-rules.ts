/**
 * The card networks' retry budgets as pure rules (issue 12 "Budgets"; figures and sources in
 * docs/dunning.md "Decisions and budgets" and docs/decisions.md "Dunning budgets and schedule").
 *
 * A budget belongs to one card as the customer gave it (merchant, customer, payment method) and
 * counts the declined authorizations PayFlow saw on it, dunning's own and others'. An approval
 * resets it: only declines at or after the latest approval before a time count at that time (a
 * "run"). A planned authorization is counted as if it were declined, since its outcome is unknown.
 * Windows are rolling: two authorizations share a window when less than the window apart, and a
 * planned one must fit every window that contains it. Rolling windows are the strict reading: a
 * card within them is also within any calendar-day or tumbling 30-day count.
 *
 * Hard declines are not a budget here: decide.ts never plans a retry on a hard-declined card.
 */

export const HOUR_S = 3_600;
export const DAY_S = 86_400;

/** The budgets' sizes; the service reads them from VISA_MAX_REATTEMPTS_30D, MASTERCARD_MAX_ATTEMPTS_24H, MASTERCARD_MAX_ATTEMPTS_30D. */
export interface NetworkLimits {
  visaMaxReattempts30d: number;
  mastercardMaxAttempts24h: number;
  mastercardMaxAttempts30d: number;
}

/** Visa: 15 reattempts in 30 days; Mastercard: 10 in 24 hours, 35 in 30 days. */
export const DEFAULT_NETWORK_LIMITS: NetworkLimits = Object.freeze({
  visaMaxReattempts30d: 15,
  mastercardMaxAttempts24h: 10,
  mastercardMaxAttempts30d: 35,
});

/** One authorization of the card that PayFlow saw (any source), in any order; `at` in unix seconds. */
export interface CardAuthorization {
  at: number;
  approved: boolean;
}

export type BudgetRule = 'visa_30d' | 'mastercard_24h' | 'mastercard_30d';

export interface WindowBudget {
  rule: BudgetRule;
  window_s: number;
  max: number;
  /** Visa counts reattempts: the run's first decline is the attempt, not a reattempt. */
  first_is_free: boolean;
}

const MASTERCARD_BRANDS = new Set(['mastercard', 'maestro']);
/** What PSPs send when they do not know the brand: treated as "could be either". */
const UNKNOWN_BRANDS = new Set(['', 'unknown']);

/**
 * The windows that bind a card of `network`. An unknown network (null) gets Visa's and Mastercard's
 * together: it may be either. Other brands (amex, discover, …) publish no retry count we could
 * source, so only the hard-decline rule applies to them.
 */
export function budgetsFor(network: string | null, limits: NetworkLimits): WindowBudget[] {
  const brand = network?.trim().toLowerCase() ?? '';
  const visa: WindowBudget[] = [{ rule: 'visa_30d', window_s: 30 * DAY_S, max: limits.visaMaxReattempts30d, first_is_free: true }];
  const mastercard: WindowBudget[] = [
    { rule: 'mastercard_24h', window_s: DAY_S, max: limits.mastercardMaxAttempts24h, first_is_free: false },
    { rule: 'mastercard_30d', window_s: 30 * DAY_S, max: limits.mastercardMaxAttempts30d, first_is_free: false },
  ];
  if (brand === 'visa') return visa;
  if (MASTERCARD_BRANDS.has(brand)) return mastercard;
  if (UNKNOWN_BRANDS.has(brand)) return [...visa, ...mastercard];
  return [];
}

/**
 * The declines that count at time `t`: those of t's run, from the latest approval at or before t
 * (inclusive: a decline in the approval's second counts, the safe side) up to the next approval
 * after t. Sorted ascending.
 */
export function declinesInRun(card: readonly CardAuthorization[], t: number): number[] {
  let from = -Infinity;
  let until = Infinity;
  for (const a of card) {
    if (!a.approved) continue;
    if (a.at <= t) from = Math.max(from, a.at);
    else until = Math.min(until, a.at);
  }
  return card
    .filter((a) => !a.approved && a.at >= from && a.at < until)
    .map((a) => a.at)
    .sort((x, y) => x - y);
}

/** Index of the first element ≥ x in a sorted array. */
function lowerBound(sorted: readonly number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The most authorizations that count in any window of `budget` containing `t`, with one more at `t`.
 * A window holding the most points can start at one of them (slide its start right until it meets
 * one), so the starts tried are t and the run's declines less than a window before t.
 */
export function countWithPlanned(run: readonly number[], budget: WindowBudget, t: number): number {
  const points = [...run];
  points.splice(lowerBound(points, t + 1), 0, t); // t after existing declines of the same second
  const first = points[0] as number;
  let most = 0;
  for (const start of [t, ...run.filter((p) => p > t - budget.window_s && p <= t)]) {
    const end = start + budget.window_s; // window [start, end)
    let n = lowerBound(points, end) - lowerBound(points, start);
    if (budget.first_is_free && first >= start && first < end) n -= 1;
    most = Math.max(most, n);
  }
  return most;
}

/** The first budget (in `budgetsFor` order) that one more authorization at `t` would break, else null. */
export function budgetBreachAt(network: string | null, card: readonly CardAuthorization[], limits: NetworkLimits, t: number): BudgetRule | null {
  const budgets = budgetsFor(network, limits);
  if (budgets.length === 0) return null;
  const run = declinesInRun(card, t);
  for (const budget of budgets) {
    if (countWithPlanned(run, budget, t) > budget.max) return budget.rule;
  }
  return null;
}

export interface BudgetPlan {
  /** The earliest time ≥ from and ≤ deadline within every budget, or null. */
  at: number | null;
  /** The budget that moved (at > from) or blocked (at null) the planned time, else null. */
  moved_by: BudgetRule | null;
}

/**
 * Moves a planned authorization to the earliest time it fits every budget. Whether a time fits
 * only changes where a decline leaves a window (its time + the window), where an approval starts a
 * new run, or where the planned time passes a decline; so only those times (and `from`) are tried.
 */
export function planWithinBudget(
  network: string | null,
  card: readonly CardAuthorization[],
  limits: NetworkLimits,
  from: number,
  deadline: number,
): BudgetPlan {
  if (from > deadline) return { at: null, moved_by: null };
  const blockedBy = budgetBreachAt(network, card, limits, from);
  if (blockedBy === null) return { at: from, moved_by: null };
  const windows = [...new Set(budgetsFor(network, limits).map((b) => b.window_s))];
  const candidates = new Set<number>();
  for (const a of card) {
    const times = a.approved ? [a.at] : [a.at, ...windows.map((w) => a.at + w)];
    for (const t of times) if (t > from && t <= deadline) candidates.add(t);
  }
  for (const t of [...candidates].sort((x, y) => x - y)) {
    if (budgetBreachAt(network, card, limits, t) === null) return { at: t, moved_by: blockedBy };
  }
  return { at: null, moved_by: blockedBy };
}

/** The earliest t ≥ from at which one more authorization of this card stays within its network's budget, or null if none within `deadline`. */
export function earliestWithinBudget(
  network: string | null,
  card: readonly CardAuthorization[],
  limits: NetworkLimits,
  from: number,
  deadline: number,
): number | null {
  return planWithinBudget(network, card, limits, from, deadline).at;
}
