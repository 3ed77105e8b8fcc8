import { generateInvoiceLines } from '../invoice-generation';
import { StreamBuilder, price, seconds } from '../invoice-generation/testing/stream-builder';
import { billingReasonOf, createdEventOf } from './billing-reason';

const T0 = seconds('2026-01-31T10:00:00Z');
const basic = [{ price: price('price_basic', 2000), quantity: 1 }];

/** The reason of every invoice the generator makes for a stream up to `upTo`, in invoice order. */
function reasons(builder: StreamBuilder, upTo: number): [string, string][] {
  const created = createdEventOf(builder.stream);
  return generateInvoiceLines(builder.stream, upTo, []).invoices.map((invoice) => [
    invoice.invoice_key,
    billingReasonOf(invoice.invoice_key, created),
  ]);
}

describe('billingReasonOf', () => {
  it('an invoice without a subscription is manual, whatever its key', () => {
    expect(billingReasonOf('manual:in_1', null)).toBe('manual');
    expect(billingReasonOf(`b:${T0}`, null)).toBe('manual');
  });

  it('without a trial: the first period made at creation is subscription_create, every later boundary subscription_cycle', () => {
    const stream = new StreamBuilder(T0, basic);
    expect(reasons(stream, seconds('2026-04-01T00:00:00Z'))).toEqual([
      [`b:${T0}`, 'subscription_create'],
      [`b:${seconds('2026-02-28T10:00:00Z')}`, 'subscription_cycle'],
      [`b:${seconds('2026-03-31T10:00:00Z')}`, 'subscription_cycle'],
    ]);
  });

  it('a billing_cycle_anchor later than the creation keeps the stub first period subscription_create', () => {
    const anchor = seconds('2026-02-15T00:00:00Z');
    expect(reasons(new StreamBuilder(T0, basic, { anchor }), anchor)).toEqual([
      [`b:${T0}`, 'subscription_create'],
      [`b:${anchor}`, 'subscription_cycle'],
    ]);
  });

  it("with a trial: the first paid period at the trial's end is subscription_cycle (never dunned as a first invoice)", () => {
    const trialEnd = seconds('2026-02-14T10:00:00Z');
    expect(reasons(new StreamBuilder(T0, basic, { trial_end: trialEnd }), trialEnd)).toEqual([
      [`b:${trialEnd}`, 'subscription_cycle'],
    ]);
    // Ended early: the first paid period starts then, still after a trial.
    const early = seconds('2026-02-01T00:00:00Z');
    expect(reasons(new StreamBuilder(T0, basic, { trial_end: trialEnd }).endTrial(early), early)).toEqual([
      [`b:${early}`, 'subscription_cycle'],
    ]);
  });

  it('a trial_end not after the creation is no trial (the subscription started incomplete)', () => {
    expect(reasons(new StreamBuilder(T0, basic, { trial_end: T0, anchor: T0 }), T0)).toEqual([[`b:${T0}`, 'subscription_create']]);
  });

  it('an invoice a change or a cancellation made at once is subscription_update', () => {
    const change = seconds('2026-02-10T00:00:00Z');
    const pro = [{ price: price('price_pro', 5000), quantity: 1 }];
    const stream = new StreamBuilder(T0, basic).change(change, pro, 'always_invoice');
    expect(reasons(stream, change)).toEqual([
      [`b:${T0}`, 'subscription_create'],
      [`now:${change}`, 'subscription_update'],
    ]);
    expect(billingReasonOf(`now:${T0}`, createdEventOf(stream.stream))).toBe('subscription_update');
  });

  it('reads the created event of a stream, none of an empty one', () => {
    expect(createdEventOf([])).toBeNull();
    expect(createdEventOf(new StreamBuilder(T0, basic).stream)?.at).toBe(T0);
  });
});
