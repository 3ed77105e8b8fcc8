import { Module } from '@nestjs/common';
import { IdempotencyModule } from '../idempotency/idempotency.module';
import { UrlSafetyModule } from '../url-safety/url-safety.module';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhookEndpointsRepository } from './webhook-endpoints.repository';
import { WebhookEndpointsService } from './webhook-endpoints.service';

@Module({
  imports: [IdempotencyModule, UrlSafetyModule],
  controllers: [WebhookEndpointsController],
  providers: [WebhookEndpointsService, WebhookEndpointsRepository],
  exports: [WebhookEndpointsService, WebhookEndpointsRepository],
})
export class EndpointsModule {}
