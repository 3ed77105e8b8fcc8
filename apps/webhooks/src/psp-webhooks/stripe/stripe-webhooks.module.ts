import { Module } from '@nestjs/common';
import { ReceivedEventsModule } from '../../received-events/received-events.module';
import { StripeWebhookIngestion } from './stripe-webhook-ingestion';
import { StripeWebhooksController } from './stripe-webhooks.controller';

@Module({
  imports: [ReceivedEventsModule],
  controllers: [StripeWebhooksController],
  providers: [StripeWebhookIngestion],
})
export class StripeWebhooksModule {}
