/**
 * An invoice's money, pure (DESIGN.md "Billing", API.md "Invoice"), in integer minor units.
 * `subtotal` is the sum of the signed lines and `total` equals it (PayFlow has no tax or discount
 * yet). The customer's balance (negative is credit, Stripe's convention) is applied at
 * finalization: `amount_due` = max(0, total + balance) and what is left, min(0, total + balance),
 * is the customer's balance afterwards. So credit pays (part of) an invoice, a debit balance is
 * collected with it, and a negative total becomes credit.
 */
export interface Settlement {
  subtotal: number;
  total: number;
  /** The customer's balance in the invoice's currency before this invoice. */
  starting_balance: number;
  amount_due: number;
  /** The customer's balance in the invoice's currency after this invoice. */
  ending_balance: number;
}

function assertSafe(name: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${name} is not a safe integer of minor units: ${value}`);
  return value;
}

/** The sum of the lines' signed amounts; throws rather than lose precision. */
export function subtotalOf(lines: readonly { amount: number }[]): number {
  let sum = 0;
  for (const line of lines) sum = assertSafe('subtotal', sum + assertSafe('line amount', line.amount));
  return sum;
}

/** The invoice's totals with the customer's balance applied (see above). */
export function settle(subtotal: number, startingBalance: number): Settlement {
  const total = assertSafe('total', subtotal);
  const after = assertSafe('balance after the invoice', total + assertSafe('starting balance', startingBalance));
  return {
    subtotal,
    total,
    starting_balance: startingBalance,
    amount_due: Math.max(0, after),
    ending_balance: Math.min(0, after),
  };
}

/**
 * What voiding an open invoice gives back to the customer's balance: exactly the change its
 * finalization made (credit it consumed, or credit it created), so a void leaves the balance as if
 * the invoice had never been finalized (Stripe restores applied balance on void).
 */
export function balanceRestoredByVoid(total: number, startingBalance: number): number {
  const { ending_balance } = settle(total, startingBalance);
  return startingBalance - ending_balance;
}
