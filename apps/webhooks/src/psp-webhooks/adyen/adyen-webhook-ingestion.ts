import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Request } from 'express';
import { adyenEventId, parseAdyenNotificationItem, verifyAdyenNotification } from '@payflow/psp';
import {
  ReceivedPspEvents,
  RecordOutcome,
  VerifiedPspEvent,
} from '../../received-events/received-psp-events';
import { pspWebhookAckSeconds } from '../../received-events/received-events-metrics';
import { WebhooksConfig } from '../../webhooks.config';
import { auditedHeaders, rawBodyOf, requestIdOf, toPspWebhookError } from '../psp-webhook-request';

/**
 * `POST /webhooks/adyen`: every item's `additionalData.hmacSignature` verified with
 * @adyen/api-library's hmacValidator (via libs/psp) and ADYEN_HMAC_KEY. One bad item refuses the
 * whole request before anything is stored: Adyen retries the batch, and no part of a forged batch
 * is ever kept. Each item is its own stored event, deduplicated on its own key.
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
      const body = verifyAdyenNotification(rawBodyOf(request), this.config.ADYEN_HMAC_KEY ?? '');
      events = body.notificationItems.map(({ NotificationRequestItem: item }) => {
        const notification = parseAdyenNotificationItem(item);
        return {
          provider: 'adyen',
          pspEventId: adyenEventId(item),
          eventType: String(item.eventCode),
          rawPayload: JSON.stringify(item),
          headers,
          notifications: notification ? [notification] : [],
        };
      });
    } catch (error) {
      throw toPspWebhookError('adyen', error);
    }
    const outcome = await this.received.record(events, requestIdOf(request));
    timer();
    return outcome;
  }
}
