import { Module } from '@nestjs/common';
import { BillingUpstream } from './billing-upstream';
import { CustomersController } from './customers.controller';
import { InvoicesController } from './invoices.controller';
import { PricesController } from './prices.controller';
import { BillingSettingsController, DunningSettingsController } from './settings.controller';
import { SubscriptionsController } from './subscriptions.controller';
import { TestClocksController } from './test-clocks.controller';

/** The billing and dunning routes of API.md, forwarded to BILLING_URL and DUNNING_URL. */
@Module({
  controllers: [
    CustomersController,
    PricesController,
    SubscriptionsController,
    InvoicesController,
    TestClocksController,
    BillingSettingsController,
    DunningSettingsController,
  ],
  providers: [BillingUpstream],
})
export class BillingModule {}
