import type { PaymentAttempt } from './billing-objects';
import {
  attemptsMatchAuthorizations,
  billingWorkloadCompleted,
  isTechnical,
  noClockAdvancing,
  paidInvoicesInLedger,
  renewalsRecovered,
  type BillingFacts,
  type BillingInvoiceFact,
  type BillingSubscriptionFact,
} from './billing-invariants';
import type { RenewalKind } from './billing-plan';

const failed = (
  n: number,
  decline_code: string | null,
  decision: string,
  code = 'card_declined',
): PaymentAttempt => ({
  attempt: n,
  payment_intent: 'pi_r',
  status: 'failed',
  code,
  decline_code,
  network: 'visa',
  advice_code: null,
  decision,
  reason: 'x',
  at: '2030-02-01T01:00:00.000Z',
});
const succeeded = (n: number, intent = 'pi_r'): PaymentAttempt => ({
  ...failed(n, null, 'paid'),
  payment_intent: intent,
  status: 'succeeded',
  code: null,
});
const TIMEOUT = (n: number) => failed(n, null, 'retry_scheduled', 'payment_outcome_unknown');

const PLANNED: Record<RenewalKind, PaymentAttempt[]> = {
  paid_at_once: [succeeded(1)],
  soft_recovered: [
    failed(1, 'insufficient_funds', 'retry_scheduled'),
    failed(2, 'insufficient_funds', 'retry_scheduled'),
    succeeded(3),
  ],
  hard_then_new_card: [failed(1, 'lost_card', 'wait_for_payment_method'), succeeded(2)],
};

function invoice(
  id: string,
  period: string,
  attempts: PaymentAttempt[],
  over: Partial<BillingInvoiceFact> = {},
): BillingInvoiceFact {
  const last = attempts[attempts.length - 1];
  return {
    id,
    status: last?.status === 'succeeded' ? 'paid' : 'open',
    subscription: 'sub_1',
    amount_due: 1500,
    amount_paid: last?.status === 'succeeded' ? 1500 : 0,
    attempt_count: attempts.length,
    payment_intent: attempts[0]?.payment_intent ?? null,
    period_start: period,
    attempts,
    ...over,
  };
}

function subscription(
  kind: RenewalKind,
  renewal = PLANNED[kind],
  over: Partial<BillingSubscriptionFact> = {},
): BillingSubscriptionFact {
  return {
    index: 0,
    kind,
    subscriptionId: 'sub_1',
    status: 'active',
    invoices: [
      invoice('in_r', '2030-02-01T00:00:00.000Z', renewal),
      invoice('in_f', '2030-01-01T00:00:00.000Z', [succeeded(1, 'pi_f')]),
    ],
    ...over,
  };
}

/** The same subscription as another one: its own index, invoices and intents. */
function other(fact: BillingSubscriptionFact, index: number): BillingSubscriptionFact {
  const own = (id: string | null) => (id ? `${id}_${index}` : id);
  return {
    ...fact,
    index,
    subscriptionId: own(fact.subscriptionId),
    invoices: fact.invoices.map((i) => ({
      ...i,
      id: own(i.id)!,
      payment_intent: own(i.payment_intent),
      attempts:
        'error' in i.attempts
          ? i.attempts
          : i.attempts.map((a) => ({ ...a, payment_intent: own(a.payment_intent) })),
    })),
  };
}

function facts(subscriptions: BillingSubscriptionFact[]): BillingFacts {
  const intents = new Map<string, { invoice: string; authorizations: number; received: number }>();
  for (const s of subscriptions)
    for (const i of s.invoices) {
      if (!i.payment_intent || 'error' in i.attempts) continue;
      intents.set(i.payment_intent, {
        invoice: i.id,
        authorizations: i.attempts.filter((a) => a.payment_intent).length,
        received: i.amount_paid,
      });
    }
  return {
    subscriptions,
    invoiceIntents: [...intents].map(([id, i]) => ({
      id,
      invoice: i.invoice,
      status: i.received ? 'captured' : 'failed',
      amount_received: i.received,
      authorization_attempts: i.authorizations,
    })),
    captureEntries: [...intents]
      .filter(([, i]) => i.received > 0)
      .map(([id, i]) => ({ intent_id: id, entries: 1, reversals: 0, amount: i.received })),
    clocks: [{ id: 'clock_1', status: 'ready', frozen_time: '2030-02-06', target_time: null }],
  };
}

describe('billing_renewals_recovered', () => {
  it.each<RenewalKind>(['paid_at_once', 'soft_recovered', 'hard_then_new_card'])(
    'passes the planned %s renewal',
    (kind) => {
      const verdict = renewalsRecovered(facts([subscription(kind)]));
      expect(verdict.verdict).toBe('pass');
    },
  );

  it('says what was recovered how', () => {
    const all = (
      ['paid_at_once', 'soft_recovered', 'soft_recovered', 'hard_then_new_card'] as RenewalKind[]
    ).map((k, index) => other(subscription(k), index));
    expect(renewalsRecovered(facts(all)).detail).toBe(
      '4 subscriptions active with their renewal paid: 1 at attempt 1, 2 after 2 soft declines retried on the schedule, ' +
        '1 after a hard decline and a new card; 0 technical failure(s) retried',
    );
  });

  it("accepts a hard decline whose decision became the new card's retry", () => {
    const retried = { ...failed(1, 'lost_card', 'retry_scheduled'), reason: 'new_payment_method' };
    expect(
      renewalsRecovered(facts([subscription('hard_then_new_card', [retried, succeeded(2)])])).verdict,
    ).toBe('pass');
  });

  it('accepts technical failures on top of the plan, even one hiding a decline the PSP gave', () => {
    const extra = [
      TIMEOUT(1),
      failed(2, 'insufficient_funds', 'retry_scheduled'),
      failed(3, 'insufficient_funds', 'retry_scheduled'),
      succeeded(4),
    ];
    const hidden = [failed(1, 'insufficient_funds', 'retry_scheduled'), TIMEOUT(2), succeeded(3)];
    const verdict = renewalsRecovered(
      facts([subscription('soft_recovered', extra), other(subscription('soft_recovered', hidden), 1)]),
    );
    expect(verdict).toMatchObject({ verdict: 'pass' });
    expect(verdict.detail).toContain('2 technical failure(s) retried');
  });

  it.each<[string, BillingSubscriptionFact]>([
    [
      'a subscription left past_due',
      subscription('soft_recovered', PLANNED.soft_recovered, { status: 'past_due' }),
    ],
    [
      'a renewal still open',
      subscription('soft_recovered', [
        failed(1, 'insufficient_funds', 'retry_scheduled'),
        failed(2, 'insufficient_funds', 'retry_scheduled'),
      ]),
    ],
    [
      'one soft decline too many (a duplicate retry)',
      subscription('soft_recovered', [
        failed(1, 'insufficient_funds', 'retry_scheduled'),
        failed(2, 'insufficient_funds', 'retry_scheduled'),
        failed(3, 'insufficient_funds', 'retry_scheduled'),
        succeeded(4),
      ]),
    ],
    [
      'a soft decline too few',
      subscription('soft_recovered', [failed(1, 'insufficient_funds', 'retry_scheduled'), succeeded(2)]),
    ],
    [
      'a retry on a hard-declined card',
      subscription('hard_then_new_card', [
        failed(1, 'lost_card', 'wait_for_payment_method'),
        failed(2, 'lost_card', 'wait_for_payment_method'),
        succeeded(3),
      ]),
    ],
    [
      'a hard decline scheduled for a retry',
      subscription('hard_then_new_card', [failed(1, 'lost_card', 'retry_scheduled'), succeeded(2)]),
    ],
    [
      'a failure that is neither planned nor technical',
      subscription('paid_at_once', [failed(1, 'generic_decline', 'retry_scheduled'), succeeded(2)]),
    ],
    ['no renewal', subscription('paid_at_once', [], { invoices: [] })],
    [
      'a subscription never created',
      subscription('paid_at_once', PLANNED.paid_at_once, { subscriptionId: null }),
    ],
    [
      'attempts unreadable',
      subscription('paid_at_once', PLANNED.paid_at_once, {
        invoices: [
          invoice('in_r', '2030-02-01T00:00:00.000Z', [], { attempts: { error: '502' }, status: 'paid' }),
        ],
      }),
    ],
  ])('fails on %s', (_, fact) => {
    const verdict = renewalsRecovered(facts([fact]));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples).toHaveLength(1);
  });

  it('passes an empty workload and says so', () => {
    expect(renewalsRecovered(facts([]))).toMatchObject({
      verdict: 'pass',
      detail: expect.stringContaining('--subscriptions 0'),
    });
  });
});

describe('isTechnical', () => {
  it("follows the decline table: PayFlow's own codes are technical, issuers' declines are not", () => {
    expect(isTechnical(TIMEOUT(1))).toBe(true);
    expect(isTechnical(failed(1, 'insufficient_funds', 'retry_scheduled'))).toBe(false);
    expect(isTechnical(failed(1, 'lost_card', 'wait_for_payment_method'))).toBe(false);
  });
});

describe('dunning_attempts_match_authorizations', () => {
  it('passes when every invoice has attempts 1…n, its attempt_count, each an authorization of its intent', () => {
    const verdict = attemptsMatchAuthorizations(
      facts([subscription('soft_recovered'), other(subscription('hard_then_new_card'), 1)]),
    );
    expect(verdict).toMatchObject({ verdict: 'pass' });
    expect(verdict.detail).toBe(
      "4 invoices: 7 attempts recorded by dunning, numbered 1…n once each, equal to their intents' authorizations",
    );
  });

  it('counts attempts without an intent (a card known unusable) as no authorization', () => {
    const unusable = {
      ...failed(1, null, 'wait_for_payment_method', 'payment_method_unusable'),
      payment_intent: null,
    };
    const fact = subscription('hard_then_new_card', [unusable, { ...succeeded(2) }]);
    fact.invoices[0].payment_intent = 'pi_r';
    expect(attemptsMatchAuthorizations(facts([fact])).verdict).toBe('pass');
  });

  it('fails on an authorization dunning did not record (a lost attempt)', () => {
    const f = facts([subscription('soft_recovered')]);
    f.invoiceIntents.find((i) => i.id === 'pi_r')!.authorization_attempts = 4;
    expect(attemptsMatchAuthorizations(f)).toMatchObject({
      verdict: 'fail',
      examples: [expect.stringContaining('3 attempts with an intent, 4 authorizations')],
    });
  });

  it('fails on an attempt recorded twice, a gap, or a count that differs from the invoice', () => {
    const twice = subscription('soft_recovered', [...PLANNED.soft_recovered, succeeded(3)]);
    expect(attemptsMatchAuthorizations(facts([twice])).verdict).toBe('fail');
    const gap = subscription('hard_then_new_card', [
      failed(1, 'lost_card', 'wait_for_payment_method'),
      succeeded(3),
    ]);
    expect(attemptsMatchAuthorizations(facts([gap])).verdict).toBe('fail');
    const count = subscription('paid_at_once');
    count.invoices[0].attempt_count = 2;
    expect(attemptsMatchAuthorizations(facts([count])).verdict).toBe('fail');
  });

  it('fails on an attempt made on another intent than the invoice’s', () => {
    const stranger = subscription('hard_then_new_card', [
      failed(1, 'lost_card', 'wait_for_payment_method'),
      succeeded(2, 'pi_other'),
    ]);
    expect(attemptsMatchAuthorizations(facts([stranger])).verdict).toBe('fail');
  });
});

describe('paid_invoices_in_ledger', () => {
  it('passes when each paid invoice was received by its intent and booked once', () => {
    expect(paidInvoicesInLedger(facts([subscription('soft_recovered')]))).toMatchObject({
      verdict: 'pass',
      detail:
        '2 paid invoices, each captured by its intent and booked once in the ledger with the amount paid',
    });
  });

  it('fails on a missing, doubled or different capture entry, or an intent that received another amount', () => {
    const missing = facts([subscription('paid_at_once')]);
    missing.captureEntries = missing.captureEntries.filter((e) => e.intent_id !== 'pi_r');
    expect(paidInvoicesInLedger(missing).verdict).toBe('fail');
    const doubled = facts([subscription('paid_at_once')]);
    doubled.captureEntries[0].entries = 2;
    expect(paidInvoicesInLedger(doubled).verdict).toBe('fail');
    const amount = facts([subscription('paid_at_once')]);
    amount.captureEntries[0].amount = 1;
    expect(paidInvoicesInLedger(amount).verdict).toBe('fail');
    const received = facts([subscription('paid_at_once')]);
    received.invoiceIntents[0].amount_received = 0;
    expect(paidInvoicesInLedger(received).verdict).toBe('fail');
  });

  it('accepts a capture reversed and captured again (one standing)', () => {
    const f = facts([subscription('paid_at_once')]);
    Object.assign(f.captureEntries[0], { entries: 2, reversals: 1 });
    expect(paidInvoicesInLedger(f).verdict).toBe('pass');
  });
});

describe('no_test_clock_advancing', () => {
  it('fails on a clock left advancing, or unreadable clocks', () => {
    const f = facts([]);
    expect(noClockAdvancing(f)).toMatchObject({ verdict: 'pass', detail: '1 test clock(s), none advancing' });
    f.clocks = [{ id: 'clock_1', status: 'advancing', frozen_time: '2030-02-01', target_time: '2030-02-06' }];
    expect(noClockAdvancing(f)).toMatchObject({
      verdict: 'fail',
      examples: ['clock_1 advancing at 2030-02-01 towards 2030-02-06'],
    });
    expect(noClockAdvancing({ ...f, clocks: { error: 'no schema' } }).verdict).toBe('fail');
  });
});

describe('billing_workload_completed', () => {
  it('fails when a lifecycle could not be driven to its end', () => {
    expect(
      billingWorkloadCompleted([{ index: 0, kind: 'paid_at_once', merchantId: 'm', outcome: 'completed' }])
        .verdict,
    ).toBe('pass');
    expect(
      billingWorkloadCompleted([
        {
          index: 0,
          kind: 'paid_at_once',
          merchantId: 'm',
          outcome: 'client_error',
          detail: 'clock not ready',
        },
      ]),
    ).toMatchObject({ verdict: 'fail', examples: ['#0 paid_at_once : clock not ready'] });
  });
});
