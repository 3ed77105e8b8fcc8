import { BookContents, BookEntry, compareBooks, describeDifference } from './compare-books';

const entry = (sourceEventId: string, amount = '100', extra: Partial<BookEntry> = {}): BookEntry => ({
  sourceEventId,
  kind: 'capture',
  merchantId: 'mer_a',
  intentId: 'pi_1',
  voidsSourceEventId: null,
  postings: [
    { account: 'psp_receivable:stripe', currency: 'USD', direction: 'debit', amount, pending: false },
    { account: 'merchant_payable:mer_a', currency: 'USD', direction: 'credit', amount, pending: false },
  ],
  ...extra,
});
const account = (code: string, creditsPosted = '100') => ({
  code, currency: 'USD', debitsPosted: '0', creditsPosted, debitsPending: '0', creditsPending: '0',
});
const book = (entries: BookEntry[], accounts = [account('merchant_payable:mer_a')]): BookContents => ({ entries, accounts });

describe('comparing a book with its replay', () => {
  it('finds nothing when entries match by source event in any order', () => {
    expect(compareBooks(book([entry('e1'), entry('e2')]), book([entry('e2'), entry('e1')]))).toEqual([]);
  });

  it('names the posting that differs, both ways', () => {
    const differences = compareBooks(book([entry('e1')]), book([entry('e1', '101')]));
    expect(differences.map(describeDifference)).toEqual([
      'entry of event e1: posting "debit psp_receivable:stripe/USD 100" is missing from the book',
      'entry of event e1: posting "credit merchant_payable:mer_a/USD 100" is missing from the book',
      'entry of event e1: posting "debit psp_receivable:stripe/USD 101" is in the book, replay has no such posting',
      'entry of event e1: posting "credit merchant_payable:mer_a/USD 101" is in the book, replay has no such posting',
    ]);
  });

  it('reports entries missing from the book and entries the topic does not explain', () => {
    const differences = compareBooks(book([entry('e1')]), book([entry('e2')]));
    expect(differences.map((d) => [d.type, 'sourceEventId' in d ? d.sourceEventId : ''])).toEqual([
      ['entry_missing', 'e1'],
      ['entry_unexpected', 'e2'],
    ]);
  });

  it('reports a different kind or voided hold', () => {
    const differences = compareBooks(book([entry('e1', '100', { voidsSourceEventId: 'h1' })]), book([entry('e1', '100', { kind: 'refund' })]));
    expect(differences.map((d) => d.type === 'entry_differs' && d.field)).toEqual(['kind', 'voidsSourceEventId']);
  });

  it('reports balances that differ or exist on one side only', () => {
    const differences = compareBooks(
      book([], [account('merchant_payable:mer_a'), account('platform_fees:mer_a')]),
      book([], [account('merchant_payable:mer_a', '99')]),
    );
    expect(differences.map(describeDifference)).toEqual([
      'account merchant_payable:mer_a/USD: book has debits 0, credits 99, pending debits 0, pending credits 0; replay has debits 0, credits 100, pending debits 0, pending credits 0',
      'account platform_fees:mer_a/USD: book has no account; replay has debits 0, credits 100, pending debits 0, pending credits 0',
    ]);
  });
});
