import type { CustomerObject } from '@payflow/contracts';

/** A `customers` row with its balances, as the service reads it. */
export interface CustomerRow {
  id: string;
  merchant_id: string;
  email: string | null;
  name: string | null;
  payment_method: string | null;
  test_clock_id: string | null;
  metadata: Record<string, string>;
  created_at: Date;
  updated_at: Date;
  /** Per currency; negative is credit. Currencies with no row are absent (Stripe shows none). */
  balance: Record<string, number>;
}

/** `SELECT` list that reads a customer and its balances as one row (`c` is the customers alias). */
export const CUSTOMER_COLUMNS = `c.*, COALESCE((SELECT jsonb_object_agg(b.currency, b.balance)
    FROM customer_balances b WHERE b.customer_id = c.id AND b.balance <> 0), '{}'::jsonb) AS balance`;

export function readCustomerRow(row: Record<string, unknown>): CustomerRow {
  const balance: Record<string, number> = {};
  for (const [currency, amount] of Object.entries((row['balance'] as Record<string, unknown>) ?? {})) {
    balance[currency.trim()] = Number(amount);
  }
  return {
    id: String(row['id']),
    merchant_id: String(row['merchant_id']),
    email: (row['email'] as string | null) ?? null,
    name: (row['name'] as string | null) ?? null,
    payment_method: (row['payment_method'] as string | null) ?? null,
    test_clock_id: (row['test_clock_id'] as string | null) ?? null,
    metadata: (row['metadata'] as Record<string, string>) ?? {},
    created_at: new Date(row['created_at'] as Date | string),
    updated_at: new Date(row['updated_at'] as Date | string),
    balance,
  };
}

/** The public customer (API.md "Customer"); `created` is the customer's clock time at creation. */
export function toCustomerObject(row: CustomerRow): CustomerObject {
  return {
    id: row.id,
    object: 'customer',
    email: row.email,
    name: row.name,
    payment_method: row.payment_method,
    test_clock: row.test_clock_id,
    balance: row.balance,
    metadata: row.metadata,
    created: row.created_at.toISOString(),
  };
}
