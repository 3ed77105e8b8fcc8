import type { Classification } from '@payflow/declines';
import {
  DAY_S,
  HOUR_S,
  planWithinBudget,
  type CardAuthorization,
  type NetworkLimits,
} from '../budgets/budget-rules';
import { lastScheduleDay, type DunningSettings } from './dunning-settings';

/**
 * Dunning's decisions (DESIGN.md "Collections and dunning", issue 12 "Cases and decisions"): pure
 * functions of the case, the merchant's settings, the card's authorizations and the time. Times are
 * unix seconds on the customer's clock; a schedule day is 86,400 s after the anchor. The rules and
 * the choices behind them are in docs/dunning.md "Decisions and budgets".
 */

export interface FailedAttempt {
  attempt: number;
  at: number;
  payment_method: string | null;
  network: string | null;
  classification: Classification;
}

export interface CaseFacts {
  /** The schedule's day 0: `anchorOf` the subscription's open cases (this one included). */
  anchor: number;
  /** This case's failed attempts in attempt order, the latest last. */
  failures: FailedAttempt[];
  /** The customer's payment method now. */
  current_payment_method: string | null;
  /** The customer's hard-declined payment methods (until changed). */
  unusable_payment_methods: readonly string[];
}

export type Decision =
  | { decision: 'retry_scheduled'; due_at: number; reason: string }
  /** until = anchor + the schedule's last day. */
  | { decision: 'wait_for_payment_method'; until: number; reason: string }
  | { decision: 'exhausted'; reason: string };

/** Technical failures (PayFlow's own or the PSP's) retry sooner: 1 h, 2 h, 4 h, … capped at 24 h. */
export const TECHNICAL_BACKOFF_BASE_S = HOUR_S;
export const TECHNICAL_BACKOFF_MAX_S = 24 * HOUR_S;

/** When the case must be settled: a retry after it, or a wait past it, is exhausted. */
export function scheduleDeadline(anchor: number, settings: DunningSettings): number {
  return anchor + lastScheduleDay(settings) * DAY_S;
}

const isHard = (c: Classification): boolean => c.class === 'hard' || c.needs_new_payment_method;

/** Hard-declined cards: the customer's list, plus this case's own hard declines in case the list lags. */
function unusableMethods(facts: CaseFacts): Set<string> {
  const unusable = new Set(facts.unusable_payment_methods);
  for (const f of facts.failures) {
    if (f.payment_method !== null && isHard(f.classification)) unusable.add(f.payment_method);
  }
  return unusable;
}

const failuresOn = (facts: CaseFacts, pm: string): FailedAttempt[] => facts.failures.filter((f) => f.payment_method === pm);

/** The card's network as its latest failure reported it (null: unknown, so every network's budget binds). */
function networkOf(facts: CaseFacts, pm: string): string | null {
  return failuresOn(facts, pm).reduce<string | null>((network, f) => f.network ?? network, null);
}

/** Mastercard's advice 24–30 (Classification.min_delay_s): no try on that card before its delay is over. */
function notBefore(facts: CaseFacts, pm: string): number {
  return failuresOn(facts, pm).reduce((t, f) => Math.max(t, f.at + f.classification.min_delay_s), -Infinity);
}

/**
 * The card's authorizations with this case's failures on it added when the store has not seen them
 * yet (the intents' event may trail billing's). A failure matches an unmatched decline of the same
 * second; one that matches none is added, so a mismatch counts twice, never zero times.
 */
export function withCaseFailures(card: readonly CardAuthorization[], facts: CaseFacts, pm: string): CardAuthorization[] {
  const unmatched = new Map<number, number>();
  for (const a of card) if (!a.approved) unmatched.set(a.at, (unmatched.get(a.at) ?? 0) + 1);
  const merged = [...card];
  for (const f of failuresOn(facts, pm)) {
    const left = unmatched.get(f.at) ?? 0;
    if (left > 0) unmatched.set(f.at, left - 1);
    else merged.push({ at: f.at, approved: false });
  }
  return merged;
}

function waitForPaymentMethod(facts: CaseFacts, settings: DunningSettings, now: number, reason: string): Decision {
  const until = scheduleDeadline(facts.anchor, settings);
  if (until <= now) return { decision: 'exhausted', reason: 'schedule_exhausted' };
  return { decision: 'wait_for_payment_method', until, reason };
}

/** A retry planned at `planned` on `pm`, moved later by the card's budgets, or exhausted when none fits the schedule. */
function retryWithinBudget(
  facts: CaseFacts,
  settings: DunningSettings,
  card: readonly CardAuthorization[],
  limits: NetworkLimits,
  pm: string,
  planned: number,
  reason: string,
): Decision {
  const deadline = scheduleDeadline(facts.anchor, settings);
  const plan = planWithinBudget(networkOf(facts, pm), withCaseFailures(card, facts, pm), limits, planned, deadline);
  if (plan.at === null) return { decision: 'exhausted', reason: plan.moved_by === null ? 'schedule_exhausted' : `budget:${plan.moved_by}` };
  if (plan.moved_by !== null) return { decision: 'retry_scheduled', due_at: plan.at, reason: `budget:${plan.moved_by}` };
  return { decision: 'retry_scheduled', due_at: planned, reason };
}

/**
 * After a failure (the latest of `facts.failures`). `card` is the authorizations of the customer's
 * current payment method. A payment method that changed since the failure is tried at once
 * (`decideOnNewPaymentMethod`); otherwise hard → wait for a new one until the schedule's last day;
 * technical → back off from now; soft → the next schedule day still ahead.
 */
export function decideAfterFailure(
  facts: CaseFacts,
  settings: DunningSettings,
  card: readonly CardAuthorization[],
  limits: NetworkLimits,
  now: number,
): Decision {
  const latest = facts.failures.at(-1);
  if (latest === undefined) throw new Error('decideAfterFailure needs the failure to decide on');
  if (facts.current_payment_method !== latest.payment_method) {
    return decideOnNewPaymentMethod(facts, settings, card, limits, now);
  }
  const pm = latest.payment_method;
  if (pm === null) return waitForPaymentMethod(facts, settings, now, 'no_payment_method');
  if (isHard(latest.classification)) return waitForPaymentMethod(facts, settings, now, `hard_decline:${latest.classification.reason}`);
  if (unusableMethods(facts).has(pm)) return waitForPaymentMethod(facts, settings, now, 'payment_method_unusable');

  if (latest.classification.class === 'technical') {
    const consecutive = facts.failures.length - facts.failures.findLastIndex((f) => f.classification.class !== 'technical') - 1;
    const backoff = Math.min(TECHNICAL_BACKOFF_BASE_S * 2 ** (consecutive - 1), TECHNICAL_BACKOFF_MAX_S);
    // Capped at the last day rather than given up: the issuer never said no, the schedule had time.
    const deadline = scheduleDeadline(facts.anchor, settings);
    const planned = Math.max(Math.min(now + backoff, deadline), notBefore(facts, pm));
    if (now >= deadline || planned > deadline) return { decision: 'exhausted', reason: 'schedule_exhausted' };
    return retryWithinBudget(facts, settings, card, limits, pm, planned, 'technical_backoff');
  }

  // Soft: the first schedule day after the failure (days already past are used or skipped: a later
  // invoice anchored on an earlier one starts where that one is) and after any advised delay.
  const after = Math.max(now, latest.at);
  const earliest = notBefore(facts, pm);
  const day = settings.retry_schedule_days.find((d) => {
    const t = facts.anchor + d * DAY_S;
    return t > after && t >= earliest;
  });
  if (day === undefined) return { decision: 'exhausted', reason: 'schedule_exhausted' };
  return retryWithinBudget(facts, settings, card, limits, pm, facts.anchor + day * DAY_S, `schedule_day_${day}`);
}

/**
 * The customer's payment method changed (or the case opened on one that is no longer current): try
 * the current one at once — within its budgets and advised delays, and never a hard-declined one.
 * `card` is the authorizations of the current payment method.
 */
export function decideOnNewPaymentMethod(
  facts: CaseFacts,
  settings: DunningSettings,
  card: readonly CardAuthorization[],
  limits: NetworkLimits,
  now: number,
): Decision {
  const pm = facts.current_payment_method;
  if (pm === null) return waitForPaymentMethod(facts, settings, now, 'no_payment_method');
  if (unusableMethods(facts).has(pm)) return waitForPaymentMethod(facts, settings, now, 'payment_method_unusable');
  const planned = Math.max(now, notBefore(facts, pm));
  if (planned > scheduleDeadline(facts.anchor, settings)) return { decision: 'exhausted', reason: 'schedule_exhausted' };
  return retryWithinBudget(facts, settings, card, limits, pm, planned, 'new_payment_method');
}

/** A case waiting for a new payment method: exhausted once the schedule's last day has come. */
export function decideWaitExpired(facts: CaseFacts, settings: DunningSettings, now: number): Decision {
  const until = scheduleDeadline(facts.anchor, settings);
  if (now < until) return { decision: 'wait_for_payment_method', until, reason: 'awaiting_payment_method' };
  return { decision: 'exhausted', reason: 'no_new_payment_method' };
}
