import fc from 'fast-check';
import type { Classification } from '@payflow/declines';
import { DAY_S, HOUR_S, type CardAuthorization, type NetworkLimits } from '../budgets/budget-rules';
import { referenceBreaches } from '../budgets/budget-rules.reference';
import { decideAfterFailure, decideOnNewPaymentMethod, decideWaitExpired, type CaseFacts, type Decision, type FailedAttempt } from './decide';
import type { DunningSettings } from './dunning-settings';
import { hard, mastercardAdvice, soft, technical } from './testing/classifications';

/**
 * Issue 12 "Budgets (property test)": random cases played to their end the way the service plays
 * them — a failure, a decision, the retry at its due time (or the wait's expiry), a payment method
 * changed in between — over random card brands, merchant schedules and other authorizations of
 * the same cards (before and during the case, approvals among them). Checked at every decision:
 * no planned retry breaks its card's real network budget (naive reference, with everything known
 * at the time), none comes before an advised delay or after the schedule; and no attempt is ever
 * made on a card after a hard decline of it.
 */

const T0 = 1_767_225_600;
type Brand = 'visa' | 'mastercard' | 'amex' | null;
type OutcomeKind = 'approved' | 'soft' | 'hard' | 'technical';
interface Outcome {
  kind: OutcomeKind;
  advice: string | null;
  /** Whether the failure reports the card's network (PSPs do not always). */
  reported: boolean;
}
interface World {
  days: number[];
  limits: NetworkLimits;
  brands: Brand[];
  /** The anchor before this case's first failure: an earlier open invoice of the subscription. */
  anchorLead: number;
  outcomes: Outcome[];
  others: { card: number; at: number; approved: boolean }[];
  changes: { at: number; card: number }[];
  /** The budget store has not seen this case's own attempts yet (intents' events trail billing's). */
  storeLags: boolean;
}

const scheduleArb = fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 12 }).map((d) => d.sort((a, b) => a - b));
const limitsArb: fc.Arbitrary<NetworkLimits> = fc.oneof(
  fc.constant({ visaMaxReattempts30d: 15, mastercardMaxAttempts24h: 10, mastercardMaxAttempts30d: 35 }),
  fc.record({
    visaMaxReattempts30d: fc.integer({ min: 1, max: 15 }),
    mastercardMaxAttempts24h: fc.integer({ min: 1, max: 10 }),
    mastercardMaxAttempts30d: fc.integer({ min: 1, max: 35 }),
  }),
);
const outcomeArb: fc.Arbitrary<Outcome> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constant<OutcomeKind>('soft'), weight: 6 },
    { arbitrary: fc.constant<OutcomeKind>('technical'), weight: 2 },
    { arbitrary: fc.constant<OutcomeKind>('hard'), weight: 1 },
    { arbitrary: fc.constant<OutcomeKind>('approved'), weight: 1 },
  ),
  advice: fc.option(fc.constantFrom('24', '25', '26', '27', '28', '29', '30'), { nil: null, freq: 3 }),
  reported: fc.boolean(),
});
const othersArb = fc
  .array(
    fc.record({
      card: fc.nat(2),
      start: fc.integer({ min: -40 * DAY_S, max: 40 * DAY_S }),
      count: fc.integer({ min: 1, max: 15 }),
      step: fc.constantFrom(60, HOUR_S, 6 * HOUR_S, DAY_S),
      approvedAt: fc.option(fc.nat(14), { nil: null, freq: 3 }),
    }),
    { maxLength: 4 },
  )
  .map((bursts) =>
    bursts.flatMap((b) => Array.from({ length: b.count }, (_, i) => ({ card: b.card, at: T0 + b.start + i * b.step, approved: i === b.approvedAt }))),
  );
const worldArb: fc.Arbitrary<World> = fc.record({
  days: scheduleArb,
  limits: limitsArb,
  brands: fc.array(fc.constantFrom<Brand>('visa', 'mastercard', 'amex', null), { minLength: 1, maxLength: 3 }),
  anchorLead: fc.oneof({ arbitrary: fc.constant(0), weight: 3 }, { arbitrary: fc.integer({ min: 1, max: 20 * DAY_S }), weight: 1 }),
  outcomes: fc.array(outcomeArb, { maxLength: 40 }),
  others: othersArb,
  changes: fc
    .array(fc.record({ at: fc.integer({ min: 0, max: 40 * DAY_S }).map((o) => T0 + o), card: fc.nat(2) }), { maxLength: 4 })
    .map((c) => c.sort((a, b) => a.at - b.at)),
  storeLags: fc.boolean(),
});

function classify(o: Outcome): Classification {
  if (o.kind === 'hard') return hard();
  if (o.kind === 'technical') return technical();
  return o.advice === null ? soft() : mastercardAdvice(o.advice);
}

/** Reasons seen over all runs: the property must have met every kind of decision to mean anything. */
const seen = new Map<string, number>();

function play(w: World): void {
  const settings: DunningSettings = { retry_schedule_days: w.days, final_action: 'cancel', mark_uncollectible: false };
  const anchor = T0 - w.anchorLead;
  const deadline = anchor + Math.max(...w.days) * DAY_S;
  const pmOf = (card: number): string => `pm_${card % w.brands.length}`;
  const brandOf = (pm: string): Brand => w.brands[Number(pm.slice(3))] ?? null;
  const authorizations = w.others.map((o) => ({ pm: pmOf(o.card), at: o.at, approved: o.approved, ours: false }));
  const failures: FailedAttempt[] = [];
  const unusable: string[] = [];
  const hardDeclinedAt = new Map<string, number>();
  let current = pmOf(0);
  let next = 0;

  const facts = (): CaseFacts => Object.freeze({ anchor, failures: [...failures], current_payment_method: current, unusable_payment_methods: [...unusable] });
  /** Everything that happened on the card up to now: what the reference judges by. */
  const known = (now: number): CardAuthorization[] =>
    authorizations.filter((a) => a.pm === current && a.at <= now).map(({ at, approved }) => ({ at, approved }));
  const store = (now: number): CardAuthorization[] =>
    authorizations.filter((a) => a.pm === current && a.at <= now && !(w.storeLags && a.ours)).map(({ at, approved }) => ({ at, approved }));

  const decided = (decide: () => Decision, now: number): Decision => {
    const d = decide();
    expect(decide()).toEqual(d); // same input, same answer
    const kind = d.reason.replace(/:.*|_\d+$/, ''); // schedule_day_3 → schedule_day, budget:visa_30d → budget
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    if (d.decision === 'retry_scheduled') {
      expect(d.due_at).toBeGreaterThanOrEqual(now);
      expect(d.due_at).toBeLessThanOrEqual(deadline);
      expect(hardDeclinedAt.has(current)).toBe(false);
      expect(referenceBreaches(brandOf(current), known(now), w.limits, d.due_at)).toEqual([]);
      for (const f of failures.filter((x) => x.payment_method === current)) {
        expect(d.due_at).toBeGreaterThanOrEqual(f.at + f.classification.min_delay_s);
      }
    } else if (d.decision === 'wait_for_payment_method') {
      expect(d.until).toBe(deadline);
      expect(d.until).toBeGreaterThan(now);
    }
    return d;
  };

  /** Billing charges the current card at `at`; true when approved. */
  const attempt = (at: number): boolean => {
    expect({ card: current, hard_declined_at: hardDeclinedAt.get(current) }).toEqual({ card: current, hard_declined_at: undefined });
    const o = w.outcomes[next++] ?? { kind: 'soft', advice: null, reported: true };
    authorizations.push({ pm: current, at, approved: o.kind === 'approved', ours: true });
    if (o.kind === 'approved') return true;
    const classification = classify(o);
    failures.push({ attempt: failures.length + 1, at, payment_method: current, network: o.reported ? brandOf(current) : null, classification });
    if (o.kind === 'hard') {
      unusable.push(current);
      hardDeclinedAt.set(current, at);
    }
    return false;
  };

  let now = T0;
  if (attempt(now)) return;
  let d = decided(() => decideAfterFailure(facts(), settings, store(now), w.limits, now), now);
  let change = 0;
  for (let step = 0; step < 400; step++) {
    if (d.decision === 'exhausted') return;
    const target = d.decision === 'retry_scheduled' ? d.due_at : d.until;
    const c = w.changes[change];
    if (c !== undefined && c.at <= target) {
      change++;
      now = Math.max(now, c.at);
      if (pmOf(c.card) === current) continue; // not a change: billing publishes none
      current = pmOf(c.card);
      d = decided(() => decideOnNewPaymentMethod(facts(), settings, store(now), w.limits, now), now);
      continue;
    }
    now = target;
    if (d.decision === 'wait_for_payment_method') {
      d = decided(() => decideWaitExpired(facts(), settings, now), now);
      expect(d).toEqual({ decision: 'exhausted', reason: 'no_new_payment_method' });
      return;
    }
    if (attempt(now)) return;
    d = decided(() => decideAfterFailure(facts(), settings, store(now), w.limits, now), now);
  }
  throw new Error('the case never settled');
}

describe('dunning decisions (property)', () => {
  it('never plan a retry past a network budget, an advised delay or the schedule, nor on a hard-declined card', () => {
    fc.assert(fc.property(worldArb, play), { numRuns: 300 });
    for (const reason of ['schedule_day', 'technical_backoff', 'new_payment_method', 'budget', 'hard_decline', 'payment_method_unusable', 'schedule_exhausted', 'no_new_payment_method']) {
      expect([reason, seen.get(reason) ?? 0]).not.toEqual([reason, 0]);
    }
  });
});
