import type { CaseSubject } from '../events/dunning-publisher';

export type CaseStatus = 'open' | 'closed' | 'exhausted';

/** One invoice's collection case (`cases`). */
export interface CaseRow extends CaseSubject {
  status: CaseStatus;
  /** This case's first dunned failure, on the customer's clock. */
  first_failure_at: Date;
  /** The latest attempt of the invoice that failed (the one the next retry follows). */
  last_attempt: number;
  /** Waiting for a new card until then (exhausted at that time if none comes). */
  waiting_until: Date | null;
}

/** The columns of a CaseRow, for queries that join or lock cases (`alias` qualifies them). */
export function caseColumns(alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return ['invoice_id', 'merchant_id', 'customer_id', 'subscription_id', 'test_clock_id', 'status', 'first_failure_at', 'last_attempt', 'waiting_until']
    .map((column) => `${a}${column}`)
    .join(', ');
}
