import { Module } from '@nestjs/common';
import { WebhookEndpointsController } from './webhook-endpoints.controller';
import { WebhooksUpstream } from './webhooks-upstream';

@Module({
  controllers: [WebhookEndpointsController],
  providers: [WebhooksUpstream],
  exports: [WebhooksUpstream],
})
export class WebhookEndpointsModule {}
