import { Module } from '@nestjs/common';
import { PricesRepository } from '../prices/prices.repository';
import { SettingsModule } from '../settings/settings.module';
import { SubscriptionStreams } from '../subscriptions/subscription-streams';
import { CustomerTime } from '../test-clocks/customer-time';
import { CustomerBalances } from './customer-balances';
import { InvoiceFinalization } from './invoice-finalization';
import { InvoiceNumbers } from './invoice-numbers';
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
 * gapless number, their payment attempts and the invoices API. SubscriptionStreams, CustomerTime
 * and PricesRepository are stateless and provided here too, so this module and the subscriptions
 * module (which calls `Invoicing`) need not import each other.
 */
@Module({
  imports: [SettingsModule],
  controllers: [InvoicesController],
  providers: [
    Invoicing,
    InvoiceFinalization,
    InvoiceNumbers,
    InvoiceWriter,
    InvoiceWork,
    InvoicesRepository,
    InvoicesService,
    UpcomingInvoices,
    CustomerBalances,
    ParkedCustomers,
    PaymentAttempts,
    SubscriptionEffects,
    SubscriptionStreams,
    CustomerTime,
    PricesRepository,
  ],
  exports: [Invoicing, InvoiceFinalization, InvoicesRepository, PaymentAttempts, ParkedCustomers],
})
export class InvoicesModule {}
