import type { GeneratedLine } from './generate';

export type InvariantViolationKind = 'duplicate_recurring_period' | 'repair_exceeds_billed' | 'total_mismatch';

export interface InvariantViolation {
  kind: InvariantViolationKind;
  detail: object;
}

export interface InvoiceTotal {
  invoice_key: string;
  total: number;
}

export function checkInvoiceInvariants(
  lines: readonly GeneratedLine[],
  totals: readonly InvoiceTotal[],
): InvariantViolation[] {
  void [lines, totals];
  throw new Error('not implemented');
}
