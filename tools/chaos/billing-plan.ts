/**
 * The seeded billing workload (issue 12): subscriptions of customers on test clocks whose renewal is
 * paid at once, declined softly and recovered by dunning's retries, or declined hard and recovered by
 * a new card. Pure, so the same seed gives the same plan; billing-workload.ts executes it.
 */
import { CURRENCIES } from './workload-plan';
import { randomStream } from './prng';

/**
 * What happens to a subscription's first renewal:
 * - `paid_at_once`: `pm_card_visa`, paid at attempt 1;
 * - `soft_recovered`: `pm_card_insufficientFundsTwice`, declined twice (`insufficient_funds`, soft),
 *   retried by dunning on days 1 and 3 of the default schedule, paid at attempt 3;
 * - `hard_then_new_card`: `pm_card_chargeDeclinedLostCard`, declined once (`lost_card`, hard: never
 *   retried on that card), then the customer gives `pm_card_visa` and it is paid at attempt 2.
 */
export type RenewalKind = 'paid_at_once' | 'soft_recovered' | 'hard_then_new_card';

export const RENEWAL_CARD: Readonly<Record<RenewalKind, string>> = Object.freeze({
  paid_at_once: 'pm_card_visa',
  soft_recovered: 'pm_card_insufficientFundsTwice',
  hard_then_new_card: 'pm_card_chargeDeclinedLostCard',
});

/** The card every first invoice is paid with, and the hard-declined customer's new card. */
export const GOOD_CARD = 'pm_card_visa';

/** The renewal's declines by the card before it is paid (technical failures come on top). */
export const PLANNED_DECLINES: Readonly<Record<RenewalKind, { declineCode: string | null; count: number }>> =
  Object.freeze({
    paid_at_once: { declineCode: null, count: 0 },
    soft_recovered: { declineCode: 'insufficient_funds', count: 2 },
    hard_then_new_card: { declineCode: 'lost_card', count: 1 },
  });

/** Half recover from soft declines, a quarter are paid at once, a quarter need a new card. */
const KINDS_IN_TURN: readonly RenewalKind[] = [
  'soft_recovered',
  'paid_at_once',
  'soft_recovered',
  'hard_then_new_card',
];

/** Subscriptions per test clock (one merchant's clock holds them all). */
export const SUBSCRIPTIONS_PER_CLOCK = 4;

/** Every clock starts here; monthly prices renew a month later (2030-02-01), first attempt an hour after (the draft window). */
export const CLOCK_START_S = Date.UTC(2030, 0, 1) / 1000;
export const DAY_S = 86_400;
/** The renewal (2030-02-01) plus 5 days: past the retries of days 1 and 3, before day 14 (a hard decline's wait). */
export const ADVANCE_TO_S = Date.UTC(2030, 1, 6) / 1000;
/** When a retry is still scheduled after the advance (a technical failure's backoff), the clock moves on by a day, at most this often. */
export const MAX_EXTRA_ADVANCES = 5;

export interface SubscriptionPlan {
  index: number;
  kind: RenewalKind;
  /** Index into the workload's merchants. */
  merchant: number;
  /** Index into the plan's clocks. */
  clock: number;
  currency: string;
  /** The monthly price's unit amount (minor units). */
  unitAmount: number;
  quantity: number;
}

export interface ClockPlan {
  index: number;
  merchant: number;
  /** The clock's subscriptions start once the payment workload has started this payment. */
  startAtPayment: number;
  subscriptions: SubscriptionPlan[];
}

/** `--subscriptions` when not given: one per 50 payments, at least 10. */
export function defaultSubscriptions(payments: number): number {
  return Math.max(10, Math.floor(payments / 50));
}

/**
 * `count` subscriptions on ⌈count / 4⌉ test clocks, each clock one merchant's, its start spread over
 * the first 70 % of the payments (so renewals and retries meet the faults, placed between 5 % and
 * 85 %).
 */
export function planSubscriptions(
  seed: number,
  count: number,
  payments: number,
  merchants: number,
): ClockPlan[] {
  const random = randomStream(seed, 'subscriptions');
  const clocks = Math.ceil(count / SUBSCRIPTIONS_PER_CLOCK);
  const plans: ClockPlan[] = [];
  for (let c = 0; c < clocks; c++) {
    const merchant = random.int(0, merchants - 1);
    const currency = random.pick(CURRENCIES);
    const clock: ClockPlan = {
      index: c,
      merchant,
      startAtPayment: Math.floor((payments * (2 + (68 * c) / clocks)) / 100),
      subscriptions: [],
    };
    for (let i = c * SUBSCRIPTIONS_PER_CLOCK; i < Math.min(count, (c + 1) * SUBSCRIPTIONS_PER_CLOCK); i++) {
      clock.subscriptions.push({
        index: i,
        kind: KINDS_IN_TURN[i % KINDS_IN_TURN.length],
        merchant,
        clock: c,
        currency,
        unitAmount: currency === 'JPY' ? random.int(100, 20_000) : random.int(100, 50_000),
        quantity: random.int(1, 3),
      });
    }
    plans.push(clock);
  }
  return plans;
}
