import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '@payflow/platform/clock';
import { parseStripeEvent, verifyStripeWebhook } from '@payflow/psp';
import { ReceivedPspEvents, RecordOutcome } from '../../received-events/received-psp-events';
import { pspWebhookAckSeconds } from '../../received-events/received-events-metrics';
import { WebhooksConfig } from '../../webhooks.config';
import { auditedHeaders, rawBodyOf, requestIdOf, toPspWebhookError } from '../psp-webhook-request';

/**
 * `POST /webhooks/stripe`: verified with the official SDK (`stripe.webhooks.constructEvent`, via
 * libs/psp) over the raw bytes with STRIPE_WEBHOOK_SECRET and the configured tolerance, against the
 * service's Clock; then stored and acknowledged. Verification happens before any write, so a forged
 * or stale request leaves nothing behind.
 */
@Injectable()
export class StripeWebhookIngestion implements OnApplicationBootstrap {
  constructor(
    private readonly config: WebhooksConfig,
    private readonly received: ReceivedPspEvents,
    private readonly clock: Clock,
  ) {}

  /** Refusing everything is safe but surprising: say so once, at start-up. */
  onApplicationBootstrap(): void {
    if (!this.config.STRIPE_WEBHOOK_SECRET)
      new Logger(StripeWebhookIngestion.name).warn(
        'STRIPE_WEBHOOK_SECRET is not set: every POST /webhooks/stripe is refused (400)',
      );
  }

  async ingest(request: Request): Promise<RecordOutcome> {
    const timer = pspWebhookAckSeconds.startTimer({ provider: 'stripe' });
    const rawBody = rawBodyOf(request);
    let verified;
    try {
      const event = verifyStripeWebhook(rawBody, request.headers, {
        secret: this.config.STRIPE_WEBHOOK_SECRET ?? '',
        toleranceSeconds: this.config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        receivedAtMs: this.clock.nowMs(),
      });
      verified = { event, notifications: parseStripeEvent(event) };
    } catch (error) {
      throw toPspWebhookError('stripe', error);
    }
    const outcome = await this.received.record(
      [
        {
          provider: 'stripe',
          pspEventId: verified.event.id,
          eventType: verified.event.type,
          rawPayload: rawBody.toString('utf8'),
          headers: auditedHeaders(request),
          notifications: verified.notifications,
        },
      ],
      requestIdOf(request),
    );
    timer();
    return outcome;
  }
}
