import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module';
import { PricesModule } from '../prices/prices.module';
import { CustomerTime } from '../test-clocks/customer-time';
import { SubscriptionStreamsModule } from './subscription-streams.module';
import { SubscriptionWork } from './subscription-work';
import { SubscriptionsController } from './subscriptions.controller';
import { SubscriptionsRepository } from './subscriptions.repository';
import { SubscriptionsService } from './subscriptions.service';

/**
 * The subscriptions API and the subscription's own scheduled work. `Invoicing` (invoices/) and
 * `ScheduledWork` (scheduler/) come from their global modules; `SubscriptionStreams` is re-exported
 * for the modules that import this one.
 */
@Module({
  imports: [SubscriptionStreamsModule, CustomersModule, PricesModule],
  controllers: [SubscriptionsController],
  providers: [SubscriptionsRepository, SubscriptionsService, SubscriptionWork, CustomerTime],
  exports: [SubscriptionStreamsModule, SubscriptionsRepository],
})
export class SubscriptionsModule {}
