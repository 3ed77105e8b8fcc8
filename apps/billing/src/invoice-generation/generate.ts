import type { InvoiceLineType } from '@payflow/contracts';
import type { SubscriptionEvent } from '../subscriptions/subscription-stream';
import type { InvariantViolation } from './invariants';

export interface GeneratedLine {
  /** `il_` + sha256(subscription, period, kind, stream version) truncated to 24 hex chars. */
  id: string;
  /** `b:<boundary seconds>` for a period boundary, `now:<seconds>` for always_invoice / invoice_now. */
  invoice_key: string;
  type: InvoiceLineType;
  kind: string;
  description: string;
  price: string;
  quantity: number;
  amount: number;
  period: { start: number; end: number };
  stream_version: number;
}

/** What is already on invoices (any status but void). */
export type InvoicedLine = GeneratedLine;

export interface GeneratedInvoice {
  invoice_key: string;
  period_start: number;
  period_end: number;
  lines: GeneratedLine[];
}

export interface GenerationResult {
  /** Only the difference with alreadyInvoiced. */
  lines: GeneratedLine[];
  invoices: GeneratedInvoice[];
  violations: InvariantViolation[];
}

export function generateInvoiceLines(
  stream: readonly SubscriptionEvent[],
  upTo: number,
  alreadyInvoiced: readonly InvoicedLine[],
): GenerationResult {
  void [stream, upTo, alreadyInvoiced];
  throw new Error('not implemented');
}
