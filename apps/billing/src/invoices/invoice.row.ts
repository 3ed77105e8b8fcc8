import type { InvoiceBillingReason, InvoiceLineObject, InvoiceLineType, InvoiceObject, InvoiceStatus } from '@payflow/contracts';
import type { GeneratedLine } from '../invoice-generation';

/** An `invoices` row as the service reads it (bigint columns as numbers: minor units stay < 2^53). */
export interface InvoiceRow {
  id: string;
  merchant_id: string;
  customer_id: string;
  subscription_id: string | null;
  invoice_key: string;
  /** Why it exists (billing-reason.ts), fixed when the draft is written. */
  billing_reason: InvoiceBillingReason;
  test_clock_id: string | null;
  status: InvoiceStatus;
  currency: string;
  number: string | null;
  subtotal: number;
  starting_balance: number;
  total: number;
  amount_due: number;
  amount_paid: number;
  attempt_count: number;
  last_failed_attempt: number;
  payment_intent_id: string | null;
  payment_pending: boolean;
  next_payment_attempt: Date | null;
  period_start: Date;
  period_end: Date;
  created_at: Date;
  finalize_at: Date | null;
  finalized_at: Date | null;
  paid_at: Date | null;
  voided_at: Date | null;
  marked_uncollectible_at: Date | null;
  version: number;
}

/** An `invoice_lines` row. */
export interface InvoiceLineRow {
  id: string;
  invoice_id: string;
  subscription_id: string | null;
  type: InvoiceLineType;
  kind: string;
  description: string;
  price_id: string;
  quantity: number;
  amount: number;
  period_start: Date;
  period_end: Date;
  stream_version: number;
  position: number;
}

const date = (value: unknown): Date => new Date(value as Date | string);
const dateOrNull = (value: unknown): Date | null => (value === null || value === undefined ? null : date(value));

export function readInvoiceRow(row: Record<string, unknown>): InvoiceRow {
  return {
    id: String(row['id']),
    merchant_id: String(row['merchant_id']),
    customer_id: String(row['customer_id']),
    subscription_id: (row['subscription_id'] as string | null) ?? null,
    invoice_key: String(row['invoice_key']),
    billing_reason: (row['billing_reason'] as InvoiceBillingReason | undefined) ?? 'manual',
    test_clock_id: (row['test_clock_id'] as string | null) ?? null,
    status: row['status'] as InvoiceStatus,
    currency: String(row['currency']).trim(),
    number: (row['number'] as string | null) ?? null,
    subtotal: Number(row['subtotal']),
    starting_balance: Number(row['starting_balance']),
    total: Number(row['total']),
    amount_due: Number(row['amount_due']),
    amount_paid: Number(row['amount_paid']),
    attempt_count: Number(row['attempt_count']),
    last_failed_attempt: Number(row['last_failed_attempt']),
    payment_intent_id: (row['payment_intent_id'] as string | null) ?? null,
    payment_pending: Boolean(row['payment_pending']),
    next_payment_attempt: dateOrNull(row['next_payment_attempt']),
    period_start: date(row['period_start']),
    period_end: date(row['period_end']),
    created_at: date(row['created_at']),
    finalize_at: dateOrNull(row['finalize_at']),
    finalized_at: dateOrNull(row['finalized_at']),
    paid_at: dateOrNull(row['paid_at']),
    voided_at: dateOrNull(row['voided_at']),
    marked_uncollectible_at: dateOrNull(row['marked_uncollectible_at']),
    version: Number(row['version']),
  };
}

export function readInvoiceLineRow(row: Record<string, unknown>): InvoiceLineRow {
  return {
    id: String(row['id']),
    invoice_id: String(row['invoice_id']),
    subscription_id: (row['subscription_id'] as string | null) ?? null,
    type: row['type'] as InvoiceLineType,
    kind: String(row['kind']),
    description: String(row['description']),
    price_id: String(row['price_id']),
    quantity: Number(row['quantity']),
    amount: Number(row['amount']),
    period_start: date(row['period_start']),
    period_end: date(row['period_end']),
    stream_version: Number(row['stream_version']),
    position: Number(row['position']),
  };
}

export const toSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);
export const fromSeconds = (seconds: number): Date => new Date(seconds * 1000);

/** A stored line as the generator's `InvoicedLine` (what is already invoiced). */
export function toInvoicedLine(line: InvoiceLineRow, invoiceKey: string): GeneratedLine {
  return {
    id: line.id,
    invoice_key: invoiceKey,
    type: line.type,
    kind: line.kind,
    description: line.description,
    price: line.price_id,
    quantity: line.quantity,
    amount: line.amount,
    period: { start: toSeconds(line.period_start), end: toSeconds(line.period_end) },
    stream_version: line.stream_version,
  };
}

/** The public line (API.md "Invoice"), from a stored or a generated line. */
export function toInvoiceLineObject(line: GeneratedLine): InvoiceLineObject {
  return {
    id: line.id,
    type: line.type,
    description: line.description,
    price: line.price,
    quantity: line.quantity,
    amount: line.amount,
    period: {
      start: fromSeconds(line.period.start).toISOString(),
      end: fromSeconds(line.period.end).toISOString(),
    },
  };
}

/** The public invoice (API.md "Invoice"); `lines` in their stored order. */
export function toInvoiceObject(row: InvoiceRow, lines: readonly InvoiceLineRow[]): InvoiceObject {
  return {
    id: row.id,
    object: 'invoice',
    number: row.number,
    customer: row.customer_id,
    subscription: row.subscription_id,
    status: row.status,
    currency: row.currency,
    lines: lines.map((line) => toInvoiceLineObject(toInvoicedLine(line, row.invoice_key))),
    subtotal: row.subtotal,
    starting_balance: row.starting_balance,
    total: row.total,
    amount_due: row.amount_due,
    amount_paid: row.amount_paid,
    attempt_count: row.attempt_count,
    next_payment_attempt: row.next_payment_attempt?.toISOString() ?? null,
    payment_intent: row.payment_intent_id,
    period_start: row.period_start.toISOString(),
    period_end: row.period_end.toISOString(),
    created: row.created_at.toISOString(),
    finalized_at: row.finalized_at?.toISOString() ?? null,
    paid_at: row.paid_at?.toISOString() ?? null,
  };
}
