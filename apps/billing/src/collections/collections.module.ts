import { Module } from '@nestjs/common';
import { CaseInvoices } from './case-invoices';
import { DunningDecisions } from './dunning-decisions';
import { DunningEventsConsumer } from './dunning-events.consumer';
import { DunningGate } from './dunning-gate';
import { FinalActions } from './final-actions';
import { RetryRequests } from './retry-requests';
import { UnusablePaymentMethods } from './unusable-payment-methods';

/**
 * Billing's side of dunning (issue 12; docs/dunning.md "Billing's side"): the consumer of
 * `payflow.dunning.v1` — retries requested, unusable cards remembered, final actions applied,
 * decisions and clock syncs kept — and the test clock saga's dunning gate. Invoices, streams,
 * test clocks and the customer's time come from their global modules.
 */
@Module({
  controllers: [DunningEventsConsumer],
  providers: [CaseInvoices, RetryRequests, UnusablePaymentMethods, FinalActions, DunningDecisions, DunningGate],
})
export class CollectionsModule {}
