import type { GeneratedLine } from './generate';
import { checkInvoiceInvariants } from './invariants';

const line = (over: Partial<GeneratedLine> & Pick<GeneratedLine, 'id'>): GeneratedLine => ({
  invoice_key: 'b:100',
  type: 'subscription',
  kind: 'recurring:price_a',
  description: 'test',
  price: 'price_a',
  quantity: 1,
  amount: 1000,
  period: { start: 100, end: 200 },
  stream_version: 1,
  ...over,
});

const recurring = line({ id: 'il_a' });
const repair = line({ id: 'il_r', invoice_key: 'b:200', type: 'proration', kind: 'repair:il_a', amount: -1000, stream_version: 2 });

describe('checkInvoiceInvariants', () => {
  it('finds nothing wrong with consistent lines', () => {
    const next = line({ id: 'il_b', invoice_key: 'b:200', period: { start: 200, end: 300 } });
    const other = line({ id: 'il_c', price: 'price_b', kind: 'recurring:price_b' });
    expect(checkInvoiceInvariants([recurring, next, other], [{ invoice_key: 'b:100', total: 2000 }, { invoice_key: 'b:200', total: 1000 }])).toEqual([]);
  });

  it('detects two recurring lines covering the same period of a price', () => {
    const twice = line({ id: 'il_dup', stream_version: 2, period: { start: 150, end: 200 } });
    expect(checkInvoiceInvariants([recurring, twice], [])).toEqual([
      {
        kind: 'duplicate_recurring_period',
        detail: { subscription: null, price: 'price_a', lines: ['il_a', 'il_dup'], period: { start: 150, end: 200 } },
      },
    ]);
  });

  it('a repaired recurring line no longer counts, a rebilled one counts again', () => {
    const replacement = line({ id: 'il_new', stream_version: 2 });
    expect(checkInvoiceInvariants([recurring, repair, replacement], [])).toEqual([]);
    const rebill = line({ id: 'il_rb', type: 'proration', kind: 'rebill:il_a', stream_version: 3 });
    expect(checkInvoiceInvariants([recurring, repair, replacement, rebill], []).map((v) => v.kind)).toEqual(['duplicate_recurring_period']);
  });

  it('keeps subscriptions apart when lines are tagged', () => {
    expect(checkInvoiceInvariants([{ ...recurring, subscription: 'sub_1' }, { ...recurring, id: 'il_x', subscription: 'sub_2' }], [])).toEqual([]);
  });

  it('detects a repair larger than what was billed, of a line never billed, of the wrong sign, or repeated', () => {
    const kinds = (lines: GeneratedLine[]): string[] =>
      checkInvoiceInvariants(lines, []).map((v) => `${v.kind}:${(v.detail as { problem: string }).problem}`);
    expect(kinds([recurring, { ...repair, amount: -1001 }])).toEqual(['repair_exceeds_billed:larger than the line it corrects']);
    expect(kinds([repair])).toEqual(['repair_exceeds_billed:corrects a line that was never billed']);
    expect(kinds([recurring, { ...repair, amount: 1000 }])).toEqual(['repair_exceeds_billed:of the wrong sign']);
    expect(kinds([recurring, repair, { ...repair, id: 'il_r2', stream_version: 3 }])).toEqual([
      'repair_exceeds_billed:repaired more often than billed',
    ]);
  });

  it('detects an invoice whose lines do not sum to its total', () => {
    expect(checkInvoiceInvariants([recurring, repair], [{ invoice_key: 'b:100', total: 900 }, { invoice_key: 'b:200', total: -1000 }])).toEqual([
      { kind: 'total_mismatch', detail: { invoice_key: 'b:100', total: 900, lines_sum: 1000 } },
    ]);
    expect(checkInvoiceInvariants([], [{ invoice_key: 'b:300', total: 1 }])).toEqual([
      { kind: 'total_mismatch', detail: { invoice_key: 'b:300', total: 1, lines_sum: 0 } },
    ]);
  });
});
