import type { SubscriptionEvent } from '../subscriptions/subscription-stream';
import { canonicalJson, linesHash } from './canonical';
import {
  generateInvoiceLines,
  invoiceKeyTime,
  lineId,
  nextInvoiceAt,
  previewUpcomingInvoice,
  withProposedChange,
  type GeneratedLine,
} from './generate';
import { prorate } from './proration';
import { price, seconds, StreamBuilder } from './testing/stream-builder';

const jan31 = seconds('2024-01-31T00:00:00Z');
const feb15 = seconds('2024-02-15T00:00:00Z');
const feb29 = seconds('2024-02-29T00:00:00Z');
const mar31 = seconds('2024-03-31T00:00:00Z');
const apr30 = seconds('2024-04-30T00:00:00Z');
const FEB = feb29 - jan31; // 29 days
const gold = price('price_gold', 1000);
const silver = price('price_silver', 3000);

/** Bills like the service: each run with everything invoiced so far; checks idempotence each time. */
function biller(): { bill: (stream: SubscriptionEvent[], at: number) => GeneratedLine[]; invoiced: GeneratedLine[] } {
  const invoiced: GeneratedLine[] = [];
  return {
    invoiced,
    bill(stream, at) {
      const result = generateInvoiceLines(stream, at, invoiced);
      expect(result.violations).toEqual([]);
      invoiced.push(...result.lines);
      expect(generateInvoiceLines(stream, at, invoiced).lines).toEqual([]);
      return result.lines;
    },
  };
}

const summary = (lines: GeneratedLine[]): [string, string, number][] => lines.map((l) => [l.invoice_key, l.kind, l.amount]);

describe('generateInvoiceLines: recurring lines billed in advance', () => {
  it('creation bills the first period at once on b:<start>; the next at its boundary, not before', () => {
    const s = new StreamBuilder(jan31, [{ price: gold, quantity: 2 }]).stream;
    const { bill } = biller();
    const first = bill(s, jan31);
    expect(first).toEqual([
      {
        id: lineId('sub_test', { start: jan31, end: feb29 }, 'recurring:price_gold', 1),
        invoice_key: `b:${jan31}`,
        type: 'subscription',
        kind: 'recurring:price_gold',
        description: '2 × price_gold (31 Jan 2024 – 29 Feb 2024)',
        price: 'price_gold',
        quantity: 2,
        amount: 2000,
        period: { start: jan31, end: feb29 },
        stream_version: 1,
      },
    ]);
    expect(first[0].id).toMatch(/^il_[0-9a-f]{24}$/);
    expect(bill(s, feb29 - 1)).toEqual([]);
    expect(nextInvoiceAt(s, jan31)).toBe(feb29);
    const result = generateInvoiceLines(s, apr30, first);
    expect(summary(result.lines)).toEqual([
      [`b:${feb29}`, 'recurring:price_gold', 2000],
      [`b:${mar31}`, 'recurring:price_gold', 2000],
      [`b:${apr30}`, 'recurring:price_gold', 2000],
    ]);
    expect(result.invoices.map((i) => [i.invoice_key, i.period_start, i.period_end, i.lines.length])).toEqual([
      [`b:${feb29}`, feb29, mar31, 1],
      [`b:${mar31}`, mar31, apr30, 1],
      [`b:${apr30}`, apr30, seconds('2024-05-31T00:00:00Z'), 1],
    ]);
  });

  it('a trial bills nothing until trial_end, where the first paid period starts', () => {
    const trialEnd = seconds('2024-02-14T12:00:00Z');
    const s = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }], { trial_end: trialEnd }).stream;
    const { bill } = biller();
    expect(bill(s, jan31)).toEqual([]);
    expect(nextInvoiceAt(s, jan31)).toBe(trialEnd);
    expect(bill(s, trialEnd - 1)).toEqual([]);
    const first = bill(s, trialEnd);
    expect(summary(first)).toEqual([[`b:${trialEnd}`, 'recurring:price_gold', 1000]]);
    expect(first[0].period).toEqual({ start: trialEnd, end: seconds('2024-03-14T12:00:00Z') });
  });

  it('a trial with a billing_cycle_anchor bills a prorated stub from trial_end to the anchor', () => {
    const trialEnd = seconds('2024-02-10T00:00:00Z');
    const s = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }], { trial_end: trialEnd, anchor: feb15 }).stream;
    const lines = generateInvoiceLines(s, trialEnd, []).lines;
    const grid = feb15 - seconds('2024-01-15T00:00:00Z');
    expect(summary(lines)).toEqual([[`b:${trialEnd}`, 'recurring:price_gold', prorate(1000, feb15 - trialEnd, grid)]]);
  });

  it('a later billing_cycle_anchor prorates the first period against the whole grid period (half-up)', () => {
    const s = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }], { anchor: feb15 }).stream;
    const lines = generateInvoiceLines(s, feb15, []).lines;
    // [Jan 31, Feb 15) of [Jan 15, Feb 15): 15 of 31 days → 483.87 → 484
    expect(summary(lines)).toEqual([
      [`b:${jan31}`, 'recurring:price_gold', 484],
      [`b:${feb15}`, 'recurring:price_gold', 1000],
    ]);
  });

  it('ends on a scheduled cancel at period end without billing the next period', () => {
    const b = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).scheduleCancel(feb15, feb29);
    const { bill } = biller();
    bill(b.stream, jan31);
    expect(nextInvoiceAt(b.stream, feb15)).toBeNull();
    expect(bill(b.stream, feb29)).toEqual([]); // even before the canceled event is appended
    expect(bill(b.cancel(feb29, { effective_at: feb29 }).stream, mar31)).toEqual([]);
    expect(bill(new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).scheduleCancel(feb15, feb29).unscheduleCancel(feb15 + 1).stream, feb29))
      .toHaveLength(1);
  });
});

describe('generateInvoiceLines: changes', () => {
  const start = (): StreamBuilder => new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]);
  const unused = prorate(1000, feb29 - feb15, FEB); // 14 of 29 days of 1000 = 482.76 → 483
  const remaining = prorate(2 * 3000, feb29 - feb15, FEB); // 2896.55 → 2897

  it('create_prorations: a credit for the old items and a charge for the new, on the next boundary invoice', () => {
    const b = start();
    const { bill } = biller();
    bill(b.stream, jan31);
    b.change(feb15, [{ price: silver, quantity: 2 }]);
    expect(bill(b.stream, feb15)).toEqual([]);
    expect(nextInvoiceAt(b.stream, feb15)).toBe(feb29);
    const renewal = bill(b.stream, feb29);
    expect(summary(renewal)).toEqual([
      [`b:${feb29}`, 'recurring:price_silver', 6000],
      [`b:${feb29}`, 'proration.unused:price_gold', -unused],
      [`b:${feb29}`, 'proration.remaining:price_silver', remaining],
    ]);
    expect(renewal.map((l) => [l.type, l.description])).toEqual([
      ['subscription', '2 × price_silver (29 Feb 2024 – 31 Mar 2024)'],
      ['proration', 'Unused time on 1 × price_gold after 15 Feb 2024'],
      ['proration', 'Remaining time on 2 × price_silver after 15 Feb 2024'],
    ]);
    expect(renewal[1].period).toEqual({ start: feb15, end: feb29 });
    expect(renewal[1].stream_version).toBe(2);
  });

  it('a quantity change is also a credit line and a charge line', () => {
    const b = start().change(feb15, [{ price: gold, quantity: 3 }]);
    expect(summary(generateInvoiceLines(b.stream, feb29, []).lines.filter((l) => l.type === 'proration'))).toEqual([
      [`b:${feb29}`, 'proration.unused:price_gold', -unused],
      [`b:${feb29}`, 'proration.remaining:price_gold', prorate(3000, feb29 - feb15, FEB)],
    ]);
  });

  it('always_invoice: on an invoice of its own keyed now:<at>, at once, pending prorations included', () => {
    const b = start();
    const { bill } = biller();
    bill(b.stream, jan31);
    const feb10 = seconds('2024-02-10T00:00:00Z');
    b.change(feb10, [{ price: gold, quantity: 2 }]);
    expect(bill(b.stream, feb10)).toEqual([]);
    b.change(feb15, [{ price: silver, quantity: 2 }], 'always_invoice');
    const now = bill(b.stream, feb15);
    expect(new Set(now.map((l) => l.invoice_key))).toEqual(new Set([`now:${feb15}`]));
    expect(now.map((l) => [l.kind, l.stream_version])).toEqual([
      ['proration.unused:price_gold', 2],
      ['proration.remaining:price_gold', 2],
      ['proration.unused:price_gold', 3],
      ['proration.remaining:price_silver', 3],
    ]);
    expect(summary(bill(b.stream, feb29))).toEqual([[`b:${feb29}`, 'recurring:price_silver', 6000]]);
  });

  it('none: no proration now, the new items from the next period', () => {
    const b = start().change(feb15, [{ price: silver, quantity: 2 }], 'none');
    expect(summary(generateInvoiceLines(b.stream, feb29, []).lines)).toEqual([
      [`b:${jan31}`, 'recurring:price_gold', 1000],
      [`b:${feb29}`, 'recurring:price_silver', 6000],
    ]);
    // a prorating change later in the period credits what is billed (gold), not the `none` items
    const feb20 = seconds('2024-02-20T00:00:00Z');
    b.change(feb20, [{ price: gold, quantity: 5 }]);
    expect(summary(generateInvoiceLines(b.stream, feb29, []).lines.filter((l) => l.type === 'proration'))).toEqual([
      [`b:${feb29}`, 'proration.unused:price_gold', -prorate(1000, feb29 - feb20, FEB)],
      [`b:${feb29}`, 'proration.remaining:price_gold', prorate(5000, feb29 - feb20, FEB)],
    ]);
  });

  it('the same change previewed and then made with the same proration_date gives the same lines', () => {
    const b = start();
    const invoiced = generateInvoiceLines(b.stream, jan31, []).lines;
    const proposal = { at: feb15, items: [{ price: silver, quantity: 2 }], proration_behavior: 'create_prorations' as const, proration_date: feb15 - 3600 };
    const preview = previewUpcomingInvoice(withProposedChange(b.stream, proposal), feb15, invoiced);
    expect(preview?.invoice_key).toBe(`b:${feb29}`);
    b.change(feb15 + 120, proposal.items, 'create_prorations', proposal.proration_date);
    const made = generateInvoiceLines(b.stream, feb29, invoiced).lines;
    expect(preview?.lines).toEqual(made);
    expect(previewUpcomingInvoice(b.stream, feb15 + 120, invoiced)?.lines).toEqual(made);
  });
});

describe('generateInvoiceLines: cancellations and repairs', () => {
  const start = (): StreamBuilder => new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]);
  const credit = -prorate(1000, feb29 - feb15, FEB);

  it('cancel now with prorate: a credit for the unused time on the next boundary invoice, then nothing', () => {
    const b = start();
    const { bill } = biller();
    bill(b.stream, jan31);
    b.cancel(feb15, { prorate: true });
    expect(bill(b.stream, feb15)).toEqual([]);
    expect(nextInvoiceAt(b.stream, feb15)).toBe(feb29);
    expect(summary(bill(b.stream, feb29))).toEqual([[`b:${feb29}`, 'cancel.unused:price_gold', credit]]);
    expect(nextInvoiceAt(b.stream, feb29)).toBeNull();
    expect(bill(b.stream, apr30)).toEqual([]);
  });

  it('cancel now with invoice_now: at once on now:<at>; without prorate nothing is credited', () => {
    expect(summary(generateInvoiceLines(start().cancel(feb15, { prorate: true, invoice_now: true }).stream, feb15, []).lines)).toEqual([
      [`b:${jan31}`, 'recurring:price_gold', 1000],
      [`now:${feb15}`, 'cancel.unused:price_gold', credit],
    ]);
    expect(summary(generateInvoiceLines(start().cancel(feb15).stream, apr30, []).lines)).toEqual([[`b:${jan31}`, 'recurring:price_gold', 1000]]);
  });

  it('a backdated cancel repairs the periods no longer owed, once', () => {
    const b = start();
    const { bill, invoiced } = biller();
    bill(b.stream, jan31);
    const renewal = bill(b.stream, feb29);
    const mar5 = seconds('2024-03-05T00:00:00Z');
    b.cancel(mar5, { effective_at: feb15, prorate: true, invoice_now: true });
    const repair = bill(b.stream, mar5);
    expect(repair).toEqual([
      expect.objectContaining({ invoice_key: `now:${mar5}`, kind: 'cancel.unused:price_gold', amount: credit, stream_version: 2 }),
      expect.objectContaining({
        invoice_key: `now:${mar5}`,
        type: 'proration',
        kind: `repair:${renewal[0].id}`,
        amount: -1000,
        period: renewal[0].period,
        stream_version: 2,
        description: `Correction: ${renewal[0].description}`,
      }),
    ]);
    expect(bill(b.stream, apr30)).toEqual([]);
    expect(invoiced.reduce((sum, l) => sum + l.amount, 0)).toBe(1000 + credit);
  });

  it('a backdated proration_date across a billed boundary rebills that period with the new items', () => {
    const b = start();
    const { bill, invoiced } = biller();
    bill(b.stream, jan31);
    const [oldRenewal] = bill(b.stream, feb29);
    const mar10 = seconds('2024-03-10T00:00:00Z');
    b.change(mar10, [{ price: gold, quantity: 2 }], 'create_prorations', feb15);
    expect(bill(b.stream, mar10)).toEqual([]);
    const lines = bill(b.stream, mar31);
    expect(summary(lines)).toEqual([
      [`b:${mar31}`, 'recurring:price_gold', 2000],
      [`b:${mar31}`, 'recurring:price_gold', 2000],
      [`b:${mar31}`, 'proration.unused:price_gold', credit],
      [`b:${mar31}`, 'proration.remaining:price_gold', -2 * credit],
      [`b:${mar31}`, 'repair:' + oldRenewal.id, -1000],
    ]);
    expect(lines.map((l) => l.period.start)).toEqual([feb29, mar31, feb15, feb15, feb29]);
    // owed: Jan 31–Feb 15 at 1, Feb 15 → at 2 (each to within a unit per line)
    const owedThroughApr30 = 1000 + (-credit) + 2000 + 2000;
    expect(invoiced.reduce((sum, l) => sum + l.amount, 0)).toBe(owedThroughApr30);
  });

  it('an incomplete_expired subscription bills nothing more and repairs nothing', () => {
    const b = start();
    const first = generateInvoiceLines(b.stream, jan31, []).lines;
    b.status(jan31 + 23 * 3600, 'incomplete_expired');
    expect(generateInvoiceLines(b.stream, apr30, first).lines).toEqual([]);
    expect(generateInvoiceLines(b.stream, apr30, []).lines).toEqual([]);
    expect(nextInvoiceAt(b.stream, jan31 + 23 * 3600, first)).toBeNull();
  });

  it('lines of voided invoices are settled: neither regenerated nor repaired', () => {
    const b = start();
    const first = generateInvoiceLines(b.stream, jan31, []).lines;
    expect(generateInvoiceLines(b.stream, feb15, [], { voided: first }).lines).toEqual([]);
    b.cancel(feb15, { effective_at: jan31 });
    expect(generateInvoiceLines(b.stream, feb29, [], { voided: first }).lines).toEqual([]);
  });

  it('never adds a line to an invoice that already exists: it goes on the next boundary after the latest', () => {
    const b = start();
    const first = generateInvoiceLines(b.stream, jan31, []).lines;
    // a change recorded "before" the first invoice (clock skew): its lines would land on b:<jan31>
    const stream = withProposedChange(b.stream, { at: jan31 - 10, items: [{ price: gold, quantity: 2 }], proration_behavior: 'always_invoice', proration_date: jan31 });
    const lines = generateInvoiceLines(stream, feb29, first).lines;
    expect(lines.every((l) => invoiceKeyTime(l.invoice_key) > jan31)).toBe(true);
    expect(lines.map((l) => l.invoice_key)).toEqual(Array(lines.length).fill(`b:${feb29}`));
  });
});

describe('generateInvoiceLines: violations and determinism', () => {
  const s = new StreamBuilder(jan31, [{ price: gold, quantity: 1 }]).change(feb15, [{ price: silver, quantity: 1 }]).stream;

  it('reports invariant violations of what is invoiced, and stored totals that do not match', () => {
    const first = generateInvoiceLines(s, jan31, []).lines;
    const duplicate = { ...first[0], id: 'il_000000000000000000000000', stream_version: 9 };
    expect(generateInvoiceLines(s, feb15, [...first, duplicate]).violations.map((v) => v.kind)).toEqual(['duplicate_recurring_period']);
    expect(generateInvoiceLines(s, feb15, first, { invoiceTotals: [{ invoice_key: `b:${jan31}`, total: 999 }] }).violations).toEqual([
      { kind: 'total_mismatch', detail: { invoice_key: `b:${jan31}`, total: 999, lines_sum: 1000 } },
    ]);
  });

  it('the same input gives the same output, byte for byte', () => {
    const a = generateInvoiceLines(s, apr30, []);
    const b = generateInvoiceLines(JSON.parse(JSON.stringify(s)) as SubscriptionEvent[], apr30, []);
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(linesHash(a.lines)).toBe(linesHash([...b.lines].reverse()));
    expect(linesHash(a.lines)).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(a.lines.map((l) => l.id)).size).toBe(a.lines.length);
  });

  it('refuses a malformed stream or time', () => {
    expect(() => generateInvoiceLines([], jan31, [])).toThrow();
    expect(() => generateInvoiceLines(s, jan31 + 0.5, [])).toThrow(RangeError);
  });
});
