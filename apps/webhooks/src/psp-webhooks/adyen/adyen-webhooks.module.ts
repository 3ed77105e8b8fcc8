import { Module } from '@nestjs/common';
import { ReceivedEventsModule } from '../../received-events/received-events.module';
import { AdyenWebhookIngestion } from './adyen-webhook-ingestion';
import { AdyenWebhooksController } from './adyen-webhooks.controller';

@Module({
  imports: [ReceivedEventsModule],
  controllers: [AdyenWebhooksController],
  providers: [AdyenWebhookIngestion],
})
export class AdyenWebhooksModule {}
