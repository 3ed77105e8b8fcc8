import { byPeriod, renewalState, type InvoiceObject, type PaymentAttempt } from './billing-objects';

const invoice = (over: Partial<InvoiceObject> = {}): InvoiceObject => ({
  id: 'in_1',
  status: 'open',
  subscription: 'sub_1',
  amount_due: 1000,
  amount_paid: 0,
  attempt_count: 1,
  payment_intent: 'pi_1',
  period_start: '2030-02-01T00:00:00.000Z',
  ...over,
});

const attempt = (n: number, over: Partial<PaymentAttempt> = {}): PaymentAttempt => ({
  attempt: n,
  payment_intent: 'pi_1',
  status: 'failed',
  code: 'card_declined',
  decline_code: 'insufficient_funds',
  network: 'visa',
  advice_code: null,
  decision: 'retry_scheduled',
  reason: 'schedule_day_1',
  at: '2030-02-01T01:00:00.000Z',
  ...over,
});

describe('where a renewal stands', () => {
  it('is missing before it is finalized, paid once paid', () => {
    expect(renewalState(undefined, [])).toBe('missing');
    expect(renewalState(invoice({ status: 'draft' }), [])).toBe('missing');
    expect(renewalState(invoice({ status: 'paid' }), [])).toBe('paid');
  });

  it('is in flight while an attempt has no answer or no decision yet', () => {
    expect(renewalState(invoice({ attempt_count: 1 }), [])).toBe('in_flight');
    expect(renewalState(invoice({ attempt_count: 2 }), [attempt(1)])).toBe('in_flight');
    expect(renewalState(invoice(), [attempt(1, { decision: null })])).toBe('in_flight');
    // Paid at the PSP, billing not told yet.
    expect(renewalState(invoice(), [attempt(1, { status: 'succeeded', decision: 'paid' })])).toBe(
      'in_flight',
    );
  });

  it("is the last attempt's decision otherwise, whatever order the attempts come in", () => {
    expect(
      renewalState(invoice({ attempt_count: 2 }), [
        attempt(2, { decision: 'wait_for_payment_method' }),
        attempt(1),
      ]),
    ).toBe('wait_for_payment_method');
    expect(
      renewalState(invoice({ attempt_count: 2 }), [attempt(1, { decision: 'exhausted' }), attempt(2)]),
    ).toBe('retry_scheduled');
    expect(renewalState(invoice(), [attempt(1, { decision: 'exhausted' })])).toBe('exhausted');
  });

  it('counts a void or uncollectible renewal as exhausted (a final action)', () => {
    expect(renewalState(invoice({ status: 'void' }), [])).toBe('exhausted');
    expect(renewalState(invoice({ status: 'uncollectible' }), [])).toBe('exhausted');
  });

  it('orders invoices by period, the first invoice first', () => {
    const first = invoice({ id: 'in_a', period_start: '2030-01-01T00:00:00.000Z' });
    const renewal = invoice({ id: 'in_b' });
    expect(byPeriod([renewal, first]).map((i) => i.id)).toEqual(['in_a', 'in_b']);
  });
});
