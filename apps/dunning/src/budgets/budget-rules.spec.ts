import {
  budgetBreachAt,
  budgetsFor,
  countWithPlanned,
  DAY_S,
  declinesInRun,
  DEFAULT_NETWORK_LIMITS,
  earliestWithinBudget,
  HOUR_S,
  planWithinBudget,
  type CardAuthorization,
} from './budget-rules';

const T0 = 1_767_225_600; // 2026-01-01T00:00:00Z
const limits = DEFAULT_NETWORK_LIMITS;
const declined = (at: number): CardAuthorization => ({ at, approved: false });
const approved = (at: number): CardAuthorization => ({ at, approved: true });
/** n declines from `first`, `step` seconds apart. */
const declines = (n: number, first: number, step: number): CardAuthorization[] =>
  Array.from({ length: n }, (_, i) => declined(first + i * step));

describe('budgetsFor', () => {
  it('binds a Visa card by reattempts in 30 days only', () => {
    expect(budgetsFor('visa', limits)).toEqual([{ rule: 'visa_30d', window_s: 30 * DAY_S, max: 15, first_is_free: true }]);
  });

  it.each(['mastercard', 'MasterCard', ' maestro '])('binds %p by Mastercard attempts in 24 h and in 30 days', (network) => {
    expect(budgetsFor(network, limits)).toEqual([
      { rule: 'mastercard_24h', window_s: DAY_S, max: 10, first_is_free: false },
      { rule: 'mastercard_30d', window_s: 30 * DAY_S, max: 35, first_is_free: false },
    ]);
  });

  it.each([null, '', 'unknown'])('binds an unknown network (%p) by both networks, since it may be either', (network) => {
    expect(budgetsFor(network, limits).map((b) => b.rule)).toEqual(['visa_30d', 'mastercard_24h', 'mastercard_30d']);
  });

  it.each(['amex', 'discover', 'jcb'])('has no count budget for %p (none published)', (network) => {
    expect(budgetsFor(network, limits)).toEqual([]);
  });

  it('takes its sizes from the configured limits', () => {
    const custom = { visaMaxReattempts30d: 3, mastercardMaxAttempts24h: 2, mastercardMaxAttempts30d: 7 };
    expect(budgetsFor(null, custom).map((b) => b.max)).toEqual([3, 2, 7]);
  });
});

describe('declinesInRun', () => {
  it('counts declines only after the latest approval at or before t, sorted', () => {
    const card = [declined(T0 + 50), declined(T0 - 100), approved(T0), declined(T0 + 10), declined(T0 - 5)];
    expect(declinesInRun(card, T0 + 100)).toEqual([T0 + 10, T0 + 50]);
  });

  it('counts a decline in the same second as the approval (the safe side)', () => {
    expect(declinesInRun([approved(T0), declined(T0)], T0 + 1)).toEqual([T0]);
  });

  it('ends the run at the next approval after t (a card whose clock runs ahead of the customer’s)', () => {
    const card = [declined(T0 - 10), declined(T0 + 10), approved(T0 + 20), declined(T0 + 30)];
    expect(declinesInRun(card, T0)).toEqual([T0 - 10, T0 + 10]);
    expect(declinesInRun(card, T0 + 20)).toEqual([T0 + 30]);
  });

  it('is every decline when the card was never approved', () => {
    expect(declinesInRun(declines(3, T0, 60), T0)).toEqual([T0, T0 + 60, T0 + 120]);
  });
});

describe('countWithPlanned', () => {
  const visa = budgetsFor('visa', limits)[0]!;
  const mc24 = budgetsFor('mastercard', limits)[0]!;

  it('counts the planned authorization with the run’s declines in its window', () => {
    expect(countWithPlanned([T0, T0 + HOUR_S], mc24, T0 + 2 * HOUR_S)).toBe(3);
  });

  it('leaves out a decline exactly one window before (windows are less than their length wide)', () => {
    expect(countWithPlanned([T0], mc24, T0 + DAY_S)).toBe(1);
    expect(countWithPlanned([T0], mc24, T0 + DAY_S - 1)).toBe(2);
  });

  it('does not count the run’s first decline for Visa (it is the attempt, not a reattempt)', () => {
    expect(countWithPlanned([T0, T0 + 1], visa, T0 + 2)).toBe(2);
    expect(countWithPlanned([], visa, T0)).toBe(0);
  });

  it('makes the planned one the free first when it comes before the run', () => {
    expect(countWithPlanned([T0 + 10, T0 + 20], visa, T0)).toBe(2);
  });

  it('counts declines after the planned time in the windows that contain it', () => {
    expect(countWithPlanned([T0 + 10 * HOUR_S, T0 + 30 * HOUR_S], mc24, T0)).toBe(2);
  });
});

describe('budgetBreachAt', () => {
  it('lets Visa make the 15th reattempt and refuses the 16th within 30 days', () => {
    const fifteen = declines(15, T0, HOUR_S); // the first attempt + 14 reattempts
    expect(budgetBreachAt('visa', fifteen, limits, T0 + DAY_S)).toBeNull();
    expect(budgetBreachAt('visa', [...fifteen, declined(T0 + 20 * HOUR_S)], limits, T0 + DAY_S)).toBe('visa_30d');
  });

  it('lets Mastercard make the 10th attempt in 24 h and refuses the 11th', () => {
    expect(budgetBreachAt('mastercard', declines(9, T0, HOUR_S), limits, T0 + 10 * HOUR_S)).toBeNull();
    expect(budgetBreachAt('mastercard', declines(10, T0, HOUR_S), limits, T0 + 10 * HOUR_S)).toBe('mastercard_24h');
  });

  it('refuses Mastercard’s 36th attempt in 30 days even when no 24 h holds 10', () => {
    const spread = declines(35, T0, 20 * HOUR_S); // 35 declines over 28 d 8 h, at most 2 a day
    expect(budgetBreachAt('mastercard', spread.slice(0, 34), limits, T0 + 29 * DAY_S)).toBeNull();
    expect(budgetBreachAt('mastercard', spread, limits, T0 + 29 * DAY_S)).toBe('mastercard_30d');
  });

  it('forgets everything before an approval', () => {
    const card = [...declines(40, T0, HOUR_S), approved(T0 + 41 * HOUR_S)];
    expect(budgetBreachAt('mastercard', card, limits, T0 + 42 * HOUR_S)).toBeNull();
    expect(budgetBreachAt('visa', card, limits, T0 + 42 * HOUR_S)).toBeNull();
  });

  it('applies every network’s budgets to an unknown network', () => {
    expect(budgetBreachAt(null, declines(10, T0, HOUR_S), limits, T0 + 10 * HOUR_S)).toBe('mastercard_24h');
    expect(budgetBreachAt(null, declines(16, T0, DAY_S), limits, T0 + 16 * DAY_S)).toBe('visa_30d');
  });

  it('never binds a network without published budgets', () => {
    expect(budgetBreachAt('amex', declines(100, T0, 60), limits, T0 + 6_000)).toBeNull();
  });
});

describe('planWithinBudget / earliestWithinBudget', () => {
  const deadline = T0 + 60 * DAY_S;

  it('keeps the planned time when it fits', () => {
    expect(planWithinBudget('visa', declines(3, T0, HOUR_S), limits, T0 + DAY_S, deadline)).toEqual({ at: T0 + DAY_S, moved_by: null });
  });

  it('moves a Mastercard attempt to the second the oldest of 10 declines leaves the 24 h', () => {
    const card = declines(10, T0, HOUR_S);
    expect(planWithinBudget('mastercard', card, limits, T0 + 12 * HOUR_S, deadline)).toEqual({
      at: T0 + DAY_S,
      moved_by: 'mastercard_24h',
    });
  });

  it('moves a Visa reattempt until the oldest reattempt leaves the 30 days (the first attempt never counted)', () => {
    const card = declines(16, T0, DAY_S); // the attempt on day 0, reattempts on days 1…15
    expect(earliestWithinBudget('visa', card, limits, T0 + 16 * DAY_S, deadline)).toBe(T0 + DAY_S + 30 * DAY_S);
  });

  it('moves a Mastercard attempt past the 30-day budget', () => {
    const card = declines(35, T0, 20 * HOUR_S);
    expect(planWithinBudget('mastercard', card, limits, T0 + 29 * DAY_S, deadline)).toEqual({
      at: T0 + 30 * DAY_S,
      moved_by: 'mastercard_30d',
    });
  });

  it('moves to the approval that starts a new run', () => {
    const card = [...declines(10, T0, 60), approved(T0 + 2 * HOUR_S)];
    expect(earliestWithinBudget('mastercard', card, limits, T0 + HOUR_S, deadline)).toBe(T0 + 2 * HOUR_S);
  });

  it('waits for declines ahead of the planned time (another clock) to leave its windows', () => {
    const ahead = declines(10, T0 + HOUR_S, HOUR_S); // T0+1h … T0+10h
    expect(earliestWithinBudget('mastercard', ahead, limits, T0, deadline)).toBe(T0 + HOUR_S + DAY_S);
  });

  it('finds nothing when no time before the deadline fits, naming the budget', () => {
    const card = declines(10, T0, HOUR_S);
    expect(planWithinBudget('mastercard', card, limits, T0 + 12 * HOUR_S, T0 + DAY_S - 1)).toEqual({ at: null, moved_by: 'mastercard_24h' });
    expect(earliestWithinBudget('mastercard', card, limits, T0 + 12 * HOUR_S, T0 + DAY_S)).toBe(T0 + DAY_S);
  });

  it('finds nothing when the planned time is past the deadline', () => {
    expect(planWithinBudget('visa', [], limits, T0 + 1, T0)).toEqual({ at: null, moved_by: null });
  });

  it('does not read the card’s order', () => {
    const card = declines(10, T0, HOUR_S);
    expect(earliestWithinBudget('mastercard', [...card].reverse(), limits, T0 + 12 * HOUR_S, deadline)).toBe(T0 + DAY_S);
  });
});
