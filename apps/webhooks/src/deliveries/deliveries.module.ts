import { Module } from '@nestjs/common';
import { EndpointsModule } from '../endpoints/endpoints.module';
import { UrlSafetyModule } from '../url-safety/url-safety.module';
import { DeliveriesController } from './deliveries.controller';
import { DeliveriesRepository } from './deliveries.repository';
import { DeliveriesService } from './deliveries.service';
import { DeliveryWorker } from './delivery-worker';

@Module({
  imports: [EndpointsModule, UrlSafetyModule],
  controllers: [DeliveriesController],
  providers: [DeliveriesRepository, DeliveriesService, DeliveryWorker],
  exports: [DeliveriesRepository, DeliveryWorker],
})
export class DeliveriesModule {}
