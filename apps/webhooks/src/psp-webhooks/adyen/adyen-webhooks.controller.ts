import { Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ADYEN_ACCEPTED_RESPONSE } from '@payflow/psp';
import { PspWebhookRoute } from '../../http/psp-webhook-route.decorator';
import { AdyenWebhookIngestion } from './adyen-webhook-ingestion';

/** Adyen calls this (through the gateway's passthrough); each item's HMAC is the authentication. */
@Controller('webhooks')
@PspWebhookRoute()
export class AdyenWebhooksController {
  constructor(private readonly ingestion: AdyenWebhookIngestion) {}

  /** Adyen expects the body `[accepted]` (API.md), duplicates included. */
  @Post('adyen')
  @HttpCode(200)
  async receive(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<string> {
    await this.ingestion.ingest(request);
    response.type('text/plain');
    return ADYEN_ACCEPTED_RESPONSE;
  }
}
