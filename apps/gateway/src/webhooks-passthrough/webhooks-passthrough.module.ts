import { Module } from '@nestjs/common';
import { WebhooksPassthroughController } from './webhooks-passthrough.controller';

@Module({ controllers: [WebhooksPassthroughController] })
export class WebhooksPassthroughModule {}
