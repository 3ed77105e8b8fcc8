import { Injectable } from '@nestjs/common';
import type { Queryable } from '@payflow/platform/database';
import { toSeconds } from '../budgets/card-authorizations';
import { type CaseFacts, anchorOf } from '../decisions';
import { AttemptsRepository } from './attempts.repository';
import type { CaseRow } from './case.row';
import { CasesRepository } from './cases.repository';
import { CustomerCards } from './customer-cards';

/**
 * Loads what the pure decisions take about a case (SPEC "CaseFacts"): its failed attempts, the
 * schedule's anchor — the first failure of the subscription's earliest open case, so several unpaid
 * invoices escalate together from the earliest — and the customer's cards.
 */
@Injectable()
export class CaseFactsLoader {
  constructor(
    private readonly cases: CasesRepository,
    private readonly attempts: AttemptsRepository,
    private readonly cards: CustomerCards,
  ) {}

  async load(tx: Queryable, c: CaseRow, currentPaymentMethod: string | null): Promise<CaseFacts> {
    const failures = await this.attempts.failuresOf(tx, c.invoice_id);
    const starts = c.subscription_id ? await this.cases.openCaseStarts(tx, c.subscription_id) : [];
    const anchor = anchorOf([...starts, new Date(c.first_failure_at)].map((at) => ({ first_failure_at: toSeconds(at) })));
    return {
      anchor: anchor ?? toSeconds(c.first_failure_at),
      failures,
      current_payment_method: currentPaymentMethod ?? failures.at(-1)?.payment_method ?? null,
      unusable_payment_methods: await this.cards.unusableOf(tx, c.customer_id),
    };
  }
}
