import type { Classification } from '@payflow/declines';
import { DAY_S, DEFAULT_NETWORK_LIMITS, HOUR_S, type CardAuthorization } from '../budgets/budget-rules';
import { anchorOf } from './anchor';
import {
  decideAfterFailure,
  decideOnNewPaymentMethod,
  decideWaitExpired,
  scheduleDeadline,
  withCaseFailures,
  type CaseFacts,
  type Decision,
  type FailedAttempt,
} from './decide';
import { DEFAULT_DUNNING_SETTINGS, type DunningSettings } from './dunning-settings';
import { hard, MASTERCARD_ADVICE_DELAYS_S, mastercardAdvice, soft, technical } from './testing/classifications';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const day = (n: number): number => T0 + n * DAY_S;
const limits = DEFAULT_NETWORK_LIMITS;
const settings = DEFAULT_DUNNING_SETTINGS;

const failure = (attempt: number, at: number, classification: Classification, pm: string | null = 'pm_visa', network: string | null = 'visa'): FailedAttempt => ({
  attempt,
  at,
  payment_method: pm,
  network,
  classification,
});
const facts = (failures: FailedAttempt[], over: Partial<CaseFacts> = {}): CaseFacts => ({
  anchor: failures[0]?.at ?? T0,
  failures,
  current_payment_method: failures.at(-1)?.payment_method ?? null,
  unusable_payment_methods: [],
  ...over,
});
/** The card as the budget store would have it: this case's failures as declines. */
const cardOf = (f: CaseFacts, pm = f.current_payment_method): CardAuthorization[] =>
  f.failures.filter((x) => x.payment_method === pm).map((x) => ({ at: x.at, approved: false }));
const after = (f: CaseFacts, now: number, s: DunningSettings = settings, card = cardOf(f)): Decision => decideAfterFailure(f, s, card, limits, now);
const retry = (due_at: number, reason: string): Decision => ({ decision: 'retry_scheduled', due_at, reason });

/** Plays a case whose every try fails the same way, each retry at its due time; returns the decisions. */
function play(first: FailedAttempt, next: (attempt: number, at: number) => Classification, s: DunningSettings = settings): Decision[] {
  const failures = [first];
  const decisions: Decision[] = [];
  for (let i = 0; i < 50; i++) {
    const f = facts(failures, { anchor: first.at });
    const d = after(f, failures.at(-1)!.at, s);
    decisions.push(d);
    if (d.decision !== 'retry_scheduled') break;
    failures.push(failure(failures.length + 1, d.due_at, next(failures.length + 1, d.due_at), first.payment_method, first.network));
  }
  return decisions;
}

describe('decideAfterFailure: soft declines follow the schedule', () => {
  it('retries insufficient funds on days 1 and 3', () => {
    const first = failure(1, T0, soft());
    expect(after(facts([first]), T0)).toEqual(retry(day(1), 'schedule_day_1'));
    const second = failure(2, day(1), soft());
    expect(after(facts([first, second]), day(1))).toEqual(retry(day(3), 'schedule_day_3'));
  });

  it('makes 8 tries in 14 days, then is exhausted', () => {
    const decisions = play(failure(1, T0, soft()), () => soft());
    expect(decisions).toEqual([
      ...[1, 3, 5, 7, 10, 12, 14].map((d) => retry(day(d), `schedule_day_${d}`)),
      { decision: 'exhausted', reason: 'schedule_exhausted' },
    ]);
  });

  it('follows the merchant’s schedule', () => {
    const decisions = play(failure(1, T0, soft()), () => soft(), { ...settings, retry_schedule_days: [2, 9] });
    expect(decisions).toEqual([retry(day(2), 'schedule_day_2'), retry(day(9), 'schedule_day_9'), { decision: 'exhausted', reason: 'schedule_exhausted' }]);
  });

  it('skips the schedule days already past (a retry that ran late) rather than retrying at once', () => {
    const late = facts([failure(1, T0, soft()), failure(2, day(4), soft())]);
    expect(after(late, day(4))).toEqual(retry(day(5), 'schedule_day_5'));
  });

  it('never schedules before now, nor before the failure, even on the day itself', () => {
    const f = facts([failure(1, T0, soft()), failure(2, day(3), soft())]);
    expect(after(f, day(3))).toEqual(retry(day(5), 'schedule_day_5'));
    expect(after(f, day(3) - 10)).toEqual(retry(day(5), 'schedule_day_5'));
  });

  it('counts days as 86,400 seconds from the anchor, whatever its time of day', () => {
    const noon = T0 + 12 * HOUR_S;
    expect(after(facts([failure(1, noon, soft())]), noon)).toEqual(retry(noon + DAY_S, 'schedule_day_1'));
  });
});

describe('escalation is anchored on the earliest unpaid invoice', () => {
  const earliest = { first_failure_at: T0 };
  const later = { first_failure_at: day(7) };

  it('schedules a later invoice’s retries on the earlier invoice’s days and ends them together', () => {
    const anchor = anchorOf([earliest, later])!;
    expect(anchor).toBe(T0);
    const failures = [failure(1, day(7), soft())];
    const dues: Decision[] = [];
    for (;;) {
      const d = after(facts(failures, { anchor }), failures.at(-1)!.at);
      dues.push(d);
      if (d.decision !== 'retry_scheduled') break;
      failures.push(failure(failures.length + 1, d.due_at, soft()));
    }
    expect(dues).toEqual([
      retry(day(10), 'schedule_day_10'),
      retry(day(12), 'schedule_day_12'),
      retry(day(14), 'schedule_day_14'),
      { decision: 'exhausted', reason: 'schedule_exhausted' },
    ]);
  });

  it('waits for a new card on a later invoice only until the earlier invoice’s last day', () => {
    const f = facts([failure(1, day(7), hard())], { anchor: anchorOf([earliest, later])! });
    expect(after(f, day(7))).toEqual({ decision: 'wait_for_payment_method', until: day(14), reason: 'hard_decline:stripe:lost_card' });
  });

  it('starts from the next invoice’s own first failure once the earliest is paid', () => {
    const anchor = anchorOf([later])!; // the earliest was paid: no longer open
    expect(anchor).toBe(day(7));
    const f = facts([failure(1, day(7), soft()), failure(2, day(8), soft())], { anchor });
    expect(after(f, day(8))).toEqual(retry(day(10), 'schedule_day_3'));
    expect(after(facts([failure(1, day(7), soft())], { anchor }), day(7) + 60)).toEqual(retry(day(8), 'schedule_day_1'));
  });

  it('exhausts a later invoice that fails after the earlier one’s schedule is over', () => {
    const f = facts([failure(1, day(15), soft())], { anchor: T0 });
    expect(after(f, day(15))).toEqual({ decision: 'exhausted', reason: 'schedule_exhausted' });
    expect(after(facts([failure(1, day(15), hard())], { anchor: T0 }), day(15))).toEqual({ decision: 'exhausted', reason: 'schedule_exhausted' });
  });
});

describe('decideAfterFailure: technical failures back off', () => {
  it.each([
    [1, HOUR_S],
    [2, 2 * HOUR_S],
    [3, 4 * HOUR_S],
    [5, 16 * HOUR_S],
    [6, 24 * HOUR_S],
    [9, 24 * HOUR_S],
  ])('retries after %i consecutive technical failures in %i s', (n, delay) => {
    const failures = Array.from({ length: n }, (_, i) => failure(i + 1, T0 + i * 60, technical()));
    const now = T0 + (n - 1) * 60;
    expect(after(facts(failures, { anchor: T0 }), now)).toEqual(retry(now + delay, 'technical_backoff'));
  });

  it('counts only the technical failures since the last decline', () => {
    const f = facts([failure(1, T0, technical()), failure(2, T0 + HOUR_S, technical()), failure(3, day(1), soft()), failure(4, day(3), technical())]);
    expect(after(f, day(3))).toEqual(retry(day(3) + HOUR_S, 'technical_backoff'));
  });

  it('is capped at the schedule’s last day, and exhausted on it', () => {
    const near = day(14) - 30 * 60;
    expect(after(facts([failure(1, T0, soft()), failure(2, near, technical())]), near)).toEqual(retry(day(14), 'technical_backoff'));
    expect(after(facts([failure(1, T0, soft()), failure(2, day(14), technical())]), day(14))).toEqual({ decision: 'exhausted', reason: 'schedule_exhausted' });
  });

  it('honours a minimum delay longer than the backoff', () => {
    const f = facts([failure(1, T0, technical('payflow:rate_limited', 3 * HOUR_S))]);
    expect(after(f, T0)).toEqual(retry(T0 + 3 * HOUR_S, 'technical_backoff'));
  });
});

describe('decideAfterFailure: hard declines wait for a new payment method', () => {
  it.each(['stripe:lost_card', 'stripe:stolen_card', 'mastercard_advice:03', 'visa_category_1:41'])('waits after %s until the schedule’s last day', (reason) => {
    expect(after(facts([failure(1, T0, hard(reason))]), T0)).toEqual({ decision: 'wait_for_payment_method', until: day(14), reason: `hard_decline:${reason}` });
  });

  it('waits when the classification asks for a new payment method, whatever its class', () => {
    const newAccount: Classification = { class: 'soft', reason: 'mastercard_advice:01', min_delay_s: 0, needs_new_payment_method: true };
    expect(after(facts([failure(1, T0, newAccount)]), T0)).toMatchObject({ decision: 'wait_for_payment_method', reason: 'hard_decline:mastercard_advice:01' });
  });

  it('waits until the merchant’s last day', () => {
    const s = { ...settings, retry_schedule_days: [3, 21] };
    expect(after(facts([failure(1, T0, hard())]), T0, s)).toMatchObject({ until: day(21) });
  });

  it('never retries a card the customer already had hard-declined, even on a soft decline', () => {
    const f = facts([failure(1, T0, soft())], { unusable_payment_methods: ['pm_visa'] });
    expect(after(f, T0)).toEqual({ decision: 'wait_for_payment_method', until: day(14), reason: 'payment_method_unusable' });
  });

  it('never retries a card this case hard-declined, even if the customer’s list lags', () => {
    const f = facts([failure(1, T0, hard()), failure(2, day(1), soft())]);
    expect(after(f, day(1))).toMatchObject({ decision: 'wait_for_payment_method', reason: 'payment_method_unusable' });
  });

  it('waits when the customer has no payment method at all', () => {
    const f = facts([failure(1, T0, hard('payflow:payment_method_missing'), null, null)]);
    expect(after(f, T0)).toEqual({ decision: 'wait_for_payment_method', until: day(14), reason: 'no_payment_method' });
  });

  it('is exhausted when the hard decline comes on the last day', () => {
    const f = facts([failure(1, T0, soft()), failure(2, day(14), hard())]);
    expect(after(f, day(14))).toEqual({ decision: 'exhausted', reason: 'schedule_exhausted' });
  });

  it('tries the current payment method at once when it is not the declined one', () => {
    const f = facts([failure(1, T0, hard())], { current_payment_method: 'pm_new' });
    expect(decideAfterFailure(f, settings, [], limits, T0 + 5)).toEqual(retry(T0 + 5, 'new_payment_method'));
  });

  it('tries the current payment method at once after a soft decline on an older one (the update overtook the failure)', () => {
    const f = facts([failure(1, T0, soft())], { current_payment_method: 'pm_new' });
    expect(decideAfterFailure(f, settings, [], limits, T0)).toEqual(retry(T0, 'new_payment_method'));
  });

  it('needs a failure to decide on', () => {
    expect(() => after(facts([]), T0)).toThrow(/failure/);
  });
});

describe('Mastercard advice codes 24–30 are minimum delays', () => {
  it.each([
    ['24', 1],
    ['25', 1],
    ['26', 3],
    ['27', 5],
    ['28', 7],
    ['29', 10],
    ['30', 10],
  ])('after advice %s on day 0, retries on the first schedule day past the delay: day %i', (code, d) => {
    const f = facts([failure(1, T0, mastercardAdvice(code), 'pm_mc', 'mastercard')]);
    const decision = after(f, T0);
    expect(decision).toEqual(retry(day(d), `schedule_day_${d}`));
    expect(day(d) - T0).toBeGreaterThanOrEqual(MASTERCARD_ADVICE_DELAYS_S[code]!);
  });

  it('takes the delay from the decline’s time: advice 25 on a retry that ran 5 minutes late skips to day 3', () => {
    const f = facts([failure(1, T0, soft(), 'pm_mc', 'mastercard'), failure(2, day(1) + 300, mastercardAdvice('25'), 'pm_mc', 'mastercard')]);
    expect(after(f, day(1) + 300)).toEqual(retry(day(3), 'schedule_day_3'));
  });

  it('is exhausted when the advised delay ends after the schedule', () => {
    const f = facts([failure(1, T0, soft(), 'pm_mc', 'mastercard'), failure(2, day(7), mastercardAdvice('30'), 'pm_mc', 'mastercard')]);
    expect(after(f, day(7))).toEqual({ decision: 'exhausted', reason: 'schedule_exhausted' });
  });

  it('still holds for a later technical failure of the same card', () => {
    const f = facts([failure(1, T0, mastercardAdvice('26'), 'pm_mc', 'mastercard'), failure(2, T0 + 60, technical(), 'pm_mc', 'mastercard')]);
    expect(after(f, T0 + 60)).toEqual(retry(day(2), 'technical_backoff'));
  });
});

describe('budgets move or exhaust a planned retry', () => {
  it('moves a Mastercard retry until the 24 h holds fewer than 10 declines', () => {
    const f = facts([failure(1, T0, soft(), 'pm_mc', 'mastercard')]);
    const others = Array.from({ length: 10 }, (_, i) => ({ at: T0 + (2 + i) * HOUR_S, approved: false }));
    expect(after(f, T0, settings, [...cardOf(f), ...others])).toEqual(retry(day(1) + 2 * HOUR_S, 'budget:mastercard_24h'));
  });

  it('exhausts a Visa case when reattempts would pass 15 in 30 days before the schedule ends', () => {
    const f = facts([failure(1, T0, soft())]);
    const others = Array.from({ length: 15 }, (_, i) => ({ at: day(-10) + i * HOUR_S, approved: false }));
    expect(after(f, T0, settings, [...cardOf(f), ...others])).toEqual({ decision: 'exhausted', reason: 'budget:visa_30d' });
  });

  it('lets the approval of another payment reset the card’s budget', () => {
    const f = facts([failure(1, T0, soft())]);
    const others = [...Array.from({ length: 15 }, (_, i) => ({ at: day(-10) + i * HOUR_S, approved: false })), { at: day(-1), approved: true }];
    expect(after(f, T0, settings, [...cardOf(f), ...others])).toEqual(retry(day(1), 'schedule_day_1'));
  });

  it('counts the case’s own failures even when the card’s store has not seen them yet', () => {
    const failures = Array.from({ length: 10 }, (_, i) => failure(i + 1, T0 + (i + 1) * HOUR_S, soft(), 'pm_mc', 'mastercard'));
    const f = facts(failures, { anchor: T0 });
    expect(after(f, T0 + 10 * HOUR_S, settings, [])).toEqual(retry(day(1) + HOUR_S, 'budget:mastercard_24h'));
  });

  it('applies the budgets to technical retries', () => {
    const f = facts([failure(1, T0, technical(), 'pm_mc', 'mastercard')]);
    const others = Array.from({ length: 9 }, (_, i) => ({ at: T0 - 9 * HOUR_S + i * HOUR_S, approved: false }));
    expect(after(f, T0, settings, [...cardOf(f), ...others])).toEqual(retry(T0 + 15 * HOUR_S, 'budget:mastercard_24h'));
  });

  it('holds a card whose network the failure did not report to every network’s budget', () => {
    const f = facts([failure(1, T0, soft(), 'pm_x', null)]);
    const others = Array.from({ length: 10 }, (_, i) => ({ at: T0 + (2 + i) * HOUR_S, approved: false }));
    expect(after(f, T0, settings, [...cardOf(f), ...others])).toEqual(retry(day(1) + 2 * HOUR_S, 'budget:mastercard_24h'));
    const amex = facts([failure(1, T0, soft(), 'pm_x', 'amex')]);
    expect(after(amex, T0, settings, [...cardOf(amex), ...others])).toEqual(retry(day(1), 'schedule_day_1'));
  });
});

describe('decideOnNewPaymentMethod', () => {
  const waiting = facts([failure(1, T0, hard())], { current_payment_method: 'pm_new' });

  it('tries the new card at once', () => {
    expect(decideOnNewPaymentMethod(waiting, settings, [], limits, day(2))).toEqual(retry(day(2), 'new_payment_method'));
  });

  it('respects the new card’s own budget (declines it had elsewhere)', () => {
    const card = Array.from({ length: 10 }, (_, i) => ({ at: day(2) - 10 * HOUR_S + i * HOUR_S, approved: false }));
    // Its network is unknown until it fails here: every network's budget binds.
    expect(decideOnNewPaymentMethod(waiting, settings, card, limits, day(2))).toEqual(retry(day(2) + 14 * HOUR_S, 'budget:mastercard_24h'));
  });

  it('is exhausted when the new card’s budget leaves no time in the schedule', () => {
    const card = Array.from({ length: 10 }, (_, i) => ({ at: day(14) - 10 * HOUR_S + i * HOUR_S, approved: false }));
    expect(decideOnNewPaymentMethod(waiting, settings, card, limits, day(14) - 60)).toEqual({ decision: 'exhausted', reason: 'budget:mastercard_24h' });
  });

  it('still tries on the last day, and not after it', () => {
    expect(decideOnNewPaymentMethod(waiting, settings, [], limits, day(14))).toEqual(retry(day(14), 'new_payment_method'));
    expect(decideOnNewPaymentMethod(waiting, settings, [], limits, day(14) + 1)).toEqual({ decision: 'exhausted', reason: 'schedule_exhausted' });
  });

  it('keeps waiting when the "new" card is one already hard-declined', () => {
    const back = facts([failure(1, T0, hard(), 'pm_visa'), failure(2, day(1), hard(), 'pm_new')], { current_payment_method: 'pm_visa' });
    expect(decideOnNewPaymentMethod(back, settings, [], limits, day(2))).toEqual({ decision: 'wait_for_payment_method', until: day(14), reason: 'payment_method_unusable' });
    const listed = facts([failure(1, T0, hard())], { current_payment_method: 'pm_old', unusable_payment_methods: ['pm_old'] });
    expect(decideOnNewPaymentMethod(listed, settings, [], limits, day(2))).toMatchObject({ reason: 'payment_method_unusable' });
  });

  it('keeps waiting when the customer removed their payment method', () => {
    const none = facts([failure(1, T0, hard())], { current_payment_method: null });
    expect(decideOnNewPaymentMethod(none, settings, [], limits, day(2))).toEqual({ decision: 'wait_for_payment_method', until: day(14), reason: 'no_payment_method' });
  });

  it('honours an advised delay from this card’s earlier failure in the case', () => {
    const back = facts([failure(1, T0, mastercardAdvice('26'), 'pm_mc', 'mastercard'), failure(2, T0 + 60, hard(), 'pm_other')], { current_payment_method: 'pm_mc' });
    expect(decideOnNewPaymentMethod(back, settings, cardOf(back, 'pm_mc'), limits, T0 + 120)).toEqual(retry(day(2), 'new_payment_method'));
    const tooLate = facts([failure(1, day(7), mastercardAdvice('30'), 'pm_mc', 'mastercard'), failure(2, day(7) + 60, hard(), 'pm_other')], {
      anchor: T0,
      current_payment_method: 'pm_mc',
    });
    expect(decideOnNewPaymentMethod(tooLate, settings, [], limits, day(8))).toEqual({ decision: 'exhausted', reason: 'schedule_exhausted' });
  });

  it('works for a case with no failure yet on record', () => {
    expect(decideOnNewPaymentMethod(facts([], { current_payment_method: 'pm_new', anchor: T0 }), settings, [], limits, T0)).toEqual(retry(T0, 'new_payment_method'));
  });
});

describe('decideWaitExpired', () => {
  const waiting = facts([failure(1, T0, hard())]);

  it('is exhausted on the schedule’s last day', () => {
    expect(decideWaitExpired(waiting, settings, day(14))).toEqual({ decision: 'exhausted', reason: 'no_new_payment_method' });
    expect(decideWaitExpired(waiting, settings, day(20))).toEqual({ decision: 'exhausted', reason: 'no_new_payment_method' });
  });

  it('keeps waiting before it (a scheduler that woke early changes nothing)', () => {
    expect(decideWaitExpired(waiting, settings, day(14) - 1)).toEqual({ decision: 'wait_for_payment_method', until: day(14), reason: 'awaiting_payment_method' });
  });

  it('uses the anchor: a later invoice’s wait ends with the earliest invoice’s schedule', () => {
    const later = facts([failure(1, day(7), hard())], { anchor: T0 });
    expect(decideWaitExpired(later, settings, day(14))).toMatchObject({ decision: 'exhausted' });
  });
});

describe('helpers', () => {
  it('scheduleDeadline is the anchor plus the last schedule day', () => {
    expect(scheduleDeadline(T0, settings)).toBe(day(14));
    expect(scheduleDeadline(T0, { ...settings, retry_schedule_days: [60] })).toBe(day(60));
  });

  it('withCaseFailures adds only the failures the card does not show yet', () => {
    const f = facts([failure(1, T0, soft()), failure(2, day(1), soft()), failure(3, day(2), soft(), 'pm_other')]);
    const card = [{ at: T0, approved: false }, { at: day(1), approved: true }];
    expect(withCaseFailures(card, f, 'pm_visa')).toEqual([...card, { at: day(1), approved: false }]);
  });

  it('does not mutate its inputs', () => {
    const f = Object.freeze(facts([failure(1, T0, soft())]));
    const card = Object.freeze([{ at: T0, approved: false }]);
    expect(() => decideAfterFailure(f, settings, card, limits, T0)).not.toThrow();
    expect(settings.retry_schedule_days).toEqual([1, 3, 5, 7, 10, 12, 14]);
  });
});
