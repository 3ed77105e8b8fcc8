import { Module } from '@nestjs/common';
import { DeliveriesModule } from '../deliveries/deliveries.module';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { BillingMerchantEventsConsumer } from './billing-merchant-events.consumer';
import { EventsController } from './events.controller';
import { MerchantEventsConsumer } from './merchant-events.consumer';
import { MerchantEventsPruner } from './merchant-events.pruner';
import { MerchantEventsRepository } from './merchant-events.repository';
import { MerchantEventsService } from './merchant-events.service';

@Module({
  imports: [EndpointsModule, DeliveriesModule],
  controllers: [EventsController, MerchantEventsConsumer, BillingMerchantEventsConsumer],
  providers: [MerchantEventsService, MerchantEventsRepository, MerchantEventsPruner],
})
export class EventsModule {}
