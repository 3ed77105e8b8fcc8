import { Global, Module } from '@nestjs/common';
import { PricesModule } from '../prices/prices.module';
import { SettingsModule } from '../settings/settings.module';
import { CustomerBalances } from './customer-balances';
import { InvoiceFinalization } from './invoice-finalization';
import { InvoiceNumbers } from './invoice-numbers';
import { InvoiceVoids } from './invoice-voids';
import { InvoiceWork } from './invoice-work';
import { InvoiceWriter } from './invoice-writer';
import { InvoicesController } from './invoices.controller';
import { InvoicesRepository } from './invoices.repository';
import { InvoicesService } from './invoices.service';
import { Invoicing } from './invoicing';
import { ParkedCustomers } from './parked-customers';
import { PaymentAttempts } from './payment-attempts';
import { SubscriptionEffects } from './subscription-effects';
import { UpcomingInvoices } from './upcoming-invoices';

/**
 * Invoices: derived from the subscription streams (`Invoicing.bill`), finalized with credit and a
 * gapless number, their payment attempts and the invoices API. Global: subscriptions (which call
 * `Invoicing`) and payments use it without import cycles; SubscriptionStreams, CustomerTime and
 * ScheduledWork come from their own global modules.
 */
@Global()
@Module({
  imports: [SettingsModule, PricesModule],
  controllers: [InvoicesController],
  providers: [
    Invoicing,
    InvoiceFinalization,
    InvoiceNumbers,
    InvoiceWriter,
    InvoiceVoids,
    InvoiceWork,
    InvoicesRepository,
    InvoicesService,
    UpcomingInvoices,
    CustomerBalances,
    ParkedCustomers,
    PaymentAttempts,
    SubscriptionEffects,
  ],
  exports: [Invoicing, InvoiceFinalization, InvoicesRepository, InvoiceVoids, InvoiceWriter, PaymentAttempts, ParkedCustomers],
})
export class InvoicesModule {}
