import type { Provider } from '@payflow/contracts';
import { ADYEN_CAPABILITIES, STRIPE_CAPABILITIES } from '@payflow/psp';
import { applyHealth, nextCandidate, orderOfRule, planRoute, type PaymentToRoute } from './route-payment';
import type { RoutingRule } from './routing-rule';

const connectors = [
  { provider: 'stripe' as const, capabilities: STRIPE_CAPABILITIES },
  { provider: 'adyen' as const, capabilities: ADYEN_CAPABILITIES },
];

const payment = (overrides: Partial<PaymentToRoute> = {}): PaymentToRoute => ({
  intentId: 'pi_route_test',
  amount: 10_000,
  currency: 'USD',
  paymentMethod: 'pm_card_visa',
  captureMethod: 'manual',
  ...overrides,
});

let ruleNo = 0;
const rule = (overrides: Partial<RoutingRule>): RoutingRule => ({
  id: `rr_${String(++ruleNo).padStart(4, '0')}`,
  merchant_id: 'mer_test',
  priority: 10,
  enabled: true,
  currency: null,
  min_amount: null,
  max_amount: null,
  card_brand: null,
  providers: ['adyen', 'stripe'],
  weights: null,
  created_at: new Date(0),
  updated_at: new Date(0),
  ...overrides,
});

const allUp = () => true;

describe('routing: capability first', () => {
  it('defaults to Stripe, then Adyen, when the merchant has no rules', () => {
    expect(planRoute(payment(), connectors, [])).toMatchObject({
      candidates: ['stripe', 'adyen'],
      ruleId: null,
      excluded: [],
    });
  });

  it('leaves out a PSP that does not take the currency, and says why', () => {
    // Stripe does not present IQD; Adyen does.
    const plan = planRoute(payment({ currency: 'IQD', amount: 1_000 }), connectors, []);
    expect(plan.candidates).toEqual(['adyen']);
    expect(plan.excluded).toEqual([{ provider: 'stripe', reason: 'currency IQD not supported' }]);
  });

  it('leaves out a PSP whose amount limits the payment breaks (Stripe USD minimum 50)', () => {
    expect(planRoute(payment({ amount: 49 }), connectors, []).candidates).toEqual(['adyen']);
  });

  it('has no candidate when no PSP takes the payment, even if a rule names one', () => {
    const plan = planRoute(payment({ currency: 'KPW' }), connectors, [rule({ providers: ['stripe'] })]);
    expect(plan.candidates).toEqual([]);
    expect(plan.excluded.map((e) => e.provider).sort()).toEqual(['adyen', 'stripe']);
  });

  it("filters a rule's providers by capability, keeping the rule's order", () => {
    const plan = planRoute(payment({ currency: 'IQD', amount: 1_000 }), connectors, [
      rule({ providers: ['stripe', 'adyen'] }),
    ]);
    expect(plan.candidates).toEqual(['adyen']);
  });
});

describe('routing: merchant rules', () => {
  it('takes the first enabled matching rule by priority (lowest first), and only its providers', () => {
    const low = rule({ priority: 1, providers: ['adyen'] });
    const high = rule({ priority: 5, providers: ['stripe', 'adyen'] });
    const disabled = rule({ priority: 0, providers: ['stripe'], enabled: false });
    const plan = planRoute(payment(), connectors, [high, disabled, low]);
    expect(plan).toMatchObject({ candidates: ['adyen'], ruleId: low.id });
    expect(plan.excluded).toEqual([{ provider: 'stripe', reason: `not in routing rule ${low.id}` }]);
  });

  it('matches on currency (any case), inclusive amount range and card brand', () => {
    const eur = rule({ priority: 1, currency: 'EUR', providers: ['adyen'] });
    const big = rule({ priority: 2, min_amount: 50_000, max_amount: 100_000, providers: ['adyen'] });
    const mastercard = rule({ priority: 3, card_brand: 'mastercard', providers: ['adyen', 'stripe'] });
    const rules = [eur, big, mastercard];
    expect(planRoute(payment({ currency: 'eur' }), connectors, rules).ruleId).toBe(eur.id);
    expect(planRoute(payment({ amount: 50_000 }), connectors, rules).ruleId).toBe(big.id);
    expect(planRoute(payment({ amount: 100_000 }), connectors, rules).ruleId).toBe(big.id);
    expect(planRoute(payment({ amount: 100_001 }), connectors, rules).ruleId).toBeNull();
    expect(planRoute(payment({ paymentMethod: 'pm_card_mastercard' }), connectors, rules)).toMatchObject({
      ruleId: mastercard.id,
      candidates: ['adyen', 'stripe'],
    });
    expect(planRoute(payment({ paymentMethod: 'pm_card_visa' }), connectors, rules)).toMatchObject({
      ruleId: null,
      candidates: ['stripe', 'adyen'],
    });
  });

  it('splits volume by a stable hash of the intent id: the same intent always routes the same way', () => {
    const split = rule({ providers: ['stripe', 'adyen'], weights: [70, 30] });
    const primaries: Record<Provider, number> = { stripe: 0, adyen: 0 };
    for (let i = 0; i < 2_000; i++) {
      const intentId = `pi_split_${i}`;
      const order = orderOfRule(split, intentId);
      expect(orderOfRule(split, intentId)).toEqual(order); // a redelivery routes the same way
      expect([...order].sort()).toEqual(['adyen', 'stripe']); // the other provider stays as fallback
      primaries[order[0]] += 1;
    }
    // 70/30 within a generous margin (sha256 buckets are uniform).
    expect(primaries.stripe / 2_000).toBeGreaterThan(0.65);
    expect(primaries.stripe / 2_000).toBeLessThan(0.75);
  });

  it('a zero weight never takes the primary slot but remains a fallback', () => {
    const split = rule({ providers: ['stripe', 'adyen'], weights: [0, 1] });
    for (let i = 0; i < 50; i++) expect(orderOfRule(split, `pi_zero_${i}`)).toEqual(['adyen', 'stripe']);
  });
});

describe('routing: health', () => {
  const plan = planRoute(payment(), connectors, []);

  it('skips a provider whose breaker is open', () => {
    const decision = applyHealth(plan, (provider) => provider !== 'stripe');
    expect(decision).toMatchObject({ provider: 'adyen', allUnavailable: false });
    expect(decision.reason).toContain('breaker open: stripe');
  });

  it('keeps the first candidate when every breaker is open: the call is refused as not executed and retried later', () => {
    expect(applyHealth(plan, () => false)).toMatchObject({ provider: 'stripe', allUnavailable: true });
  });

  it('has no provider when routing found no candidate', () => {
    expect(applyHealth(planRoute(payment({ currency: 'KPW' }), connectors, []), allUp)).toMatchObject({
      provider: null,
      allUnavailable: false,
    });
  });

  it('fails over only to an untried provider whose breaker lets calls through', () => {
    expect(nextCandidate(['stripe', 'adyen'], ['stripe'], allUp)).toBe('adyen');
    expect(nextCandidate(['stripe', 'adyen'], ['stripe'], (p) => p !== 'adyen')).toBeNull();
    expect(nextCandidate(['stripe', 'adyen'], ['stripe', 'adyen'], allUp)).toBeNull();
    expect(nextCandidate(['stripe'], ['stripe'], allUp)).toBeNull();
  });
});
