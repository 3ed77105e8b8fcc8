import { Module } from '@nestjs/common';
import { BudgetsModule } from '../budgets/budgets.module';
import { SettingsModule } from '../settings/settings.module';
import { AttemptsRepository } from './attempts.repository';
import { BillingEventsConsumer } from './billing-events.consumer';
import { CaseDecisions } from './case-decisions';
import { CaseFactsLoader } from './case-facts';
import { CasesRepository } from './cases.repository';
import { CustomerCards } from './customer-cards';
import { InvoiceLifecycle } from './invoice-lifecycle';
import { InvoicesRepository } from './invoices.repository';
import { PaymentAttemptsController } from './payment-attempts.controller';
import { PaymentFailures } from './payment-failures';
import { PaymentMethodChanges } from './payment-method-changes';
import { RetriesRepository } from './retries.repository';

/**
 * Collection cases (issue 12 "Cases and decisions"): billing's invoice and card events open, decide
 * and close cases; the attempts list is read here. Exports what the scheduler needs to issue due
 * retries and end waits.
 */
@Module({
  imports: [BudgetsModule, SettingsModule],
  controllers: [BillingEventsConsumer, PaymentAttemptsController],
  providers: [
    AttemptsRepository,
    CaseDecisions,
    CaseFactsLoader,
    CasesRepository,
    CustomerCards,
    InvoiceLifecycle,
    InvoicesRepository,
    PaymentFailures,
    PaymentMethodChanges,
    RetriesRepository,
  ],
  exports: [CaseDecisions, RetriesRepository, CasesRepository],
})
export class CasesModule {}
