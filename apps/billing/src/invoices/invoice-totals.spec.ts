import { balanceRestoredByVoid, settle, subtotalOf } from './invoice-totals';

describe('subtotalOf', () => {
  it('sums signed lines', () => {
    expect(subtotalOf([])).toBe(0);
    expect(subtotalOf([{ amount: 2000 }, { amount: -750 }, { amount: 1 }])).toBe(1251);
  });

  it('refuses to lose precision', () => {
    expect(() => subtotalOf([{ amount: Number.MAX_SAFE_INTEGER }, { amount: 1 }])).toThrow(RangeError);
    expect(() => subtotalOf([{ amount: 0.5 }])).toThrow(RangeError);
  });
});

describe('settle', () => {
  it.each([
    // [total, starting balance, amount_due, ending balance]
    [2000, 0, 2000, 0], // nothing to apply
    [2000, -500, 1500, 0], // credit pays part
    [300, -500, 0, -200], // credit pays all, the rest stays credit
    [2000, -2000, 0, 0], // exactly
    [-300, 0, 0, -300], // a negative total becomes credit
    [-300, -100, 0, -400], // and adds to credit already there
    [0, 0, 0, 0], // zero invoice
    [0, -100, 0, -100], // credit untouched by a zero invoice
    [2000, 500, 2500, 0], // a debit balance is collected with the invoice
    [-300, 500, 200, 0], // a negative total first reduces a debit
  ])('total %i with balance %i: due %i, balance after %i', (total, start, due, ending) => {
    const settlement = settle(total, start);
    expect(settlement).toEqual({
      subtotal: total,
      total,
      starting_balance: start,
      amount_due: due,
      ending_balance: ending,
    });
    // Money is conserved: what is due plus the balance after is the total plus the balance before.
    expect(settlement.amount_due + settlement.ending_balance).toBe(total + start);
  });

  it('refuses unsafe numbers', () => {
    expect(() => settle(Number.MAX_SAFE_INTEGER, 1)).toThrow(RangeError);
    expect(() => settle(1.5, 0)).toThrow(RangeError);
  });
});

describe('balanceRestoredByVoid', () => {
  it.each([
    [2000, -500, -500], // the credit it consumed comes back
    [2000, 0, 0],
    [300, -500, -300], // it consumed 300 of 500
    [-300, 0, 300], // the credit it created is taken back
    [2000, 500, 500], // the debit it collected is owed again
  ])('total %i from balance %i restores %i', (total, start, restored) => {
    expect(balanceRestoredByVoid(total, start)).toBe(restored);
    // Applying the finalization's change and then the void's leaves the balance where it started.
    expect(settle(total, start).ending_balance + restored).toBe(start);
  });
});
