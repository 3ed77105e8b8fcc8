import fc from 'fast-check';
import { DAY_S, earliestWithinBudget, HOUR_S, type CardAuthorization, type NetworkLimits } from './budget-rules';
import { referenceBreaches } from './budget-rules.reference';

/**
 * Random cards (bursts of declines, approvals, authorizations on either side of the planned time,
 * as on another clock) against the naive reference: the time found fits every budget, no earlier
 * time does, and "none" means nothing up to the deadline fits.
 */

const T0 = 1_767_225_600;
const brandArb = fc.constantFrom<string | null>('visa', 'mastercard', 'amex', null);
// Small limits too, so that budgets bind often.
const limitsArb: fc.Arbitrary<NetworkLimits> = fc.oneof(
  fc.constant({ visaMaxReattempts30d: 15, mastercardMaxAttempts24h: 10, mastercardMaxAttempts30d: 35 }),
  fc.record({
    visaMaxReattempts30d: fc.integer({ min: 0, max: 15 }),
    mastercardMaxAttempts24h: fc.integer({ min: 0, max: 10 }),
    mastercardMaxAttempts30d: fc.integer({ min: 0, max: 35 }),
  }),
);
const burstArb = fc.record({
  start: fc.integer({ min: -40 * DAY_S, max: 20 * DAY_S }),
  count: fc.integer({ min: 1, max: 20 }),
  step: fc.constantFrom(1, 60, HOUR_S, 5 * HOUR_S, DAY_S, 2 * DAY_S),
  approvedEvery: fc.option(fc.integer({ min: 2, max: 15 }), { nil: null, freq: 3 }),
});
const cardArb: fc.Arbitrary<CardAuthorization[]> = fc
  .array(burstArb, { maxLength: 4 })
  .map((bursts) =>
    bursts.flatMap((b) =>
      Array.from({ length: b.count }, (_, i) => ({
        at: T0 + b.start + i * b.step,
        approved: b.approvedEvery !== null && i % b.approvedEvery === b.approvedEvery - 1,
      })),
    ),
  );

describe('earliestWithinBudget (property)', () => {
  it('finds the earliest time within every budget of the card’s network, or proves there is none', () => {
    fc.assert(
      fc.property(
        brandArb,
        cardArb,
        limitsArb,
        fc.integer({ min: -5 * DAY_S, max: 10 * DAY_S }),
        fc.integer({ min: 0, max: 40 * DAY_S }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (brand, card, limits, fromOffset, span, samples) => {
          const from = T0 + fromOffset;
          const deadline = from + span;
          const fits = (t: number): boolean => referenceBreaches(brand, card, limits, t).length === 0;
          const found = earliestWithinBudget(brand, card, limits, from, deadline);
          if (found === null) {
            // Every point where fitting could start (from, the deadline, a decline leaving a window, an
            // approval), plus random ones, is out of budget.
            const edges = card.flatMap((a) => [a.at, a.at + DAY_S, a.at + 30 * DAY_S]);
            const tried = [from, deadline, ...edges, ...samples.map((s) => from + Math.floor(s * span))];
            for (const t of tried.filter((x) => x >= from && x <= deadline)) expect([t, fits(t)]).toEqual([t, false]);
            return;
          }
          expect(found).toBeGreaterThanOrEqual(from);
          expect(found).toBeLessThanOrEqual(deadline);
          expect(referenceBreaches(brand, card, limits, found)).toEqual([]);
          const before = [found - 1, ...samples.map((s) => from + Math.floor(s * (found - from)))];
          for (const t of before.filter((x) => x >= from && x < found)) expect([t, fits(t)]).toEqual([t, false]);
        },
      ),
      { numRuns: 400 },
    );
  });
});
