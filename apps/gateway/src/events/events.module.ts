import { Module } from '@nestjs/common';
import { WebhookEndpointsModule } from '../webhook-endpoints/webhook-endpoints.module';
import { EventsController } from './events.controller';

@Module({ imports: [WebhookEndpointsModule], controllers: [EventsController] })
export class EventsModule {}
