import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { Request } from 'express';
import { Clock } from '@payflow/platform/clock';
import { WebhookPayloadError, verifyStripeWebhook } from '@payflow/psp';
import {
  ReceivedPspEvents,
  RecordOutcome,
  VerifiedPspEvent,
} from '../../received-events/received-psp-events';
import { pspWebhookAckSeconds } from '../../received-events/received-events-metrics';
import { WebhooksConfig } from '../../webhooks.config';
import { auditedHeaders, rawBodyOf, requestIdOf, toPspWebhookError } from '../psp-webhook-request';
import { stripeEventIdentity, stripeReceivedEvent } from './stripe-received-event';

/**
 * `POST /webhooks/stripe`: verified with the official SDK (`stripe.webhooks.constructEvent`, via
 * libs/psp) over the raw bytes with STRIPE_WEBHOOK_SECRET and the configured tolerance, against the
 * service's Clock; then stored and acknowledged. Verification happens before any write, so a forged
 * or stale request leaves nothing behind. A signed event PayFlow cannot read is stored as unusable
 * and acknowledged; only a signed body that is no event at all (not JSON, no id or type) is a 400.
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
    let event: VerifiedPspEvent;
    try {
      event = this.verified(rawBody, request);
    } catch (error) {
      throw toPspWebhookError('stripe', error);
    }
    const outcome = await this.received.record([event], requestIdOf(request));
    timer();
    return outcome;
  }

  private verified(rawBody: Buffer, request: Request): VerifiedPspEvent {
    const headers = auditedHeaders(request);
    let event: ReturnType<typeof verifyStripeWebhook>;
    try {
      event = verifyStripeWebhook(rawBody, request.headers, {
        secret: this.config.STRIPE_WEBHOOK_SECRET ?? '',
        toleranceSeconds: this.config.STRIPE_WEBHOOK_TOLERANCE_SECONDS,
        receivedAtMs: this.clock.nowMs(),
      });
    } catch (error) {
      // libs/psp refuses a body's shape only once its signature verified: signed, so an event with an
      // id and a type is stored (as unusable); anything less is no Stripe event, and a 400.
      const identity = error instanceof WebhookPayloadError ? stripeEventIdentity(rawBody) : null;
      if (!identity) throw error;
      return stripeReceivedEvent(identity, null, (error as Error).message, rawBody, headers);
    }
    return stripeReceivedEvent({ id: event.id, type: event.type }, event, null, rawBody, headers);
  }
}
