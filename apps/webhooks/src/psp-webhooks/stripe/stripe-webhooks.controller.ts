import { Controller, HttpCode, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { PspWebhookRoute } from '../../http/psp-webhook-route.decorator';
import { StripeWebhookIngestion } from './stripe-webhook-ingestion';

/** Stripe calls this (through the gateway's passthrough); its signature is the authentication. */
@Controller('webhooks')
@PspWebhookRoute()
export class StripeWebhooksController {
  constructor(private readonly ingestion: StripeWebhookIngestion) {}

  /** `200 {"received": true}` as Stripe's own examples answer, duplicates included. */
  @Post('stripe')
  @HttpCode(200)
  async receive(@Req() request: Request): Promise<{ received: true }> {
    await this.ingestion.ingest(request);
    return { received: true };
  }
}
