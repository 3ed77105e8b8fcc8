import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Request } from 'express';
import {
  ReceivedPspEvents,
  RecordOutcome,
  VerifiedPspEvent,
} from '../../received-events/received-psp-events';
import { pspWebhookAckSeconds } from '../../received-events/received-events-metrics';
import { WebhooksConfig } from '../../webhooks.config';
import { auditedHeaders, rawBodyOf, requestIdOf, toPspWebhookError } from '../psp-webhook-request';
import { adyenItemEvent, readAdyenItems, verifyAdyenItems } from './adyen-notification-items';

/**
 * `POST /webhooks/adyen`: every item's `additionalData.hmacSignature` verified with
 * @adyen/api-library's HMAC (via libs/psp) and ADYEN_HMAC_KEY. One bad signature refuses the whole
 * request before anything is stored: a forged item makes a forged request, and Adyen retries a
 * genuine batch. Each correctly signed item is then its own stored event, deduplicated on its own
 * key — one PayFlow cannot use is stored as unusable and does not hold back the others.
 */
@Injectable()
export class AdyenWebhookIngestion implements OnApplicationBootstrap {
  constructor(
    private readonly config: WebhooksConfig,
    private readonly received: ReceivedPspEvents,
  ) {}

  /** Refusing everything is safe but surprising: say so once, at start-up. */
  onApplicationBootstrap(): void {
    if (!this.config.ADYEN_HMAC_KEY)
      new Logger(AdyenWebhookIngestion.name).warn(
        'ADYEN_HMAC_KEY is not set: every POST /webhooks/adyen is refused (400)',
      );
  }

  async ingest(request: Request): Promise<RecordOutcome> {
    const timer = pspWebhookAckSeconds.startTimer({ provider: 'adyen' });
    const headers = auditedHeaders(request);
    let events: VerifiedPspEvent[];
    try {
      const items = readAdyenItems(rawBodyOf(request));
      verifyAdyenItems(items, this.config.ADYEN_HMAC_KEY ?? '');
      events = items.map((item) => adyenItemEvent(item, headers));
    } catch (error) {
      throw toPspWebhookError('adyen', error);
    }
    const outcome = await this.received.record(events, requestIdOf(request));
    timer();
    return outcome;
  }
}
