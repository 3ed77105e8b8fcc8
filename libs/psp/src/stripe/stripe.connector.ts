import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import Stripe from 'stripe';
import type { PspCapabilities } from '../core/capabilities';
import type { PspConnector } from '../core/psp-connector';
import type { PspNotification, WebhookHeaders } from '../core/psp-notification';
import type {
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  RefundRequest,
  RetrieveRequest,
} from '../core/psp-requests';
import type { PspPaymentSnapshot, PspResult } from '../core/psp-results';
import { STRIPE_MAX_IDEMPOTENCY_KEY_LENGTH, boundedIdempotencyKey } from '../core/idempotency-key';
import { unsendableRequest } from '../core/request-errors';
import { STRIPE_CAPABILITIES } from './stripe.capabilities';
import { classifyStripeError } from './stripe.codes';
import { STRIPE_DEFAULT_TIMEOUT_MS, stripeEndpoint, type StripeConnectorOptions } from './stripe.options';
import {
  declinedFromCardError,
  fromAuthorizedPaymentIntent,
  fromCanceledPaymentIntent,
  fromCapturedPaymentIntent,
  fromRefund,
  toPaymentIntentCancelParams,
  toPaymentIntentCaptureParams,
  toPaymentIntentCreateParams,
  toRefundCreateParams,
  toSnapshot,
} from './stripe.transformers';
import { verifyAndParseStripeWebhook } from './stripe.webhooks';

/**
 * Stripe through the official `stripe` SDK: PaymentIntents (confirmed server-side, manual or
 * automatic capture), captures, refunds, cancels and retrieves. The SDK's own retries are off
 * (`maxNetworkRetries: 0`) because the orchestrator owns retries; every call carries the
 * attempt's idempotency key.
 */
export class StripeConnector implements PspConnector {
  readonly provider = 'stripe' as const;
  readonly capabilities: PspCapabilities = STRIPE_CAPABILITIES;
  private readonly stripe: Stripe;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly timeoutMs: number;

  constructor(private readonly options: StripeConnectorOptions) {
    const endpoint = stripeEndpoint(options.apiBaseUrl);
    this.timeoutMs = options.timeoutMs ?? STRIPE_DEFAULT_TIMEOUT_MS;
    // Our own keep-alive pool, so `close()` can release its sockets (the SDK's default is global).
    this.agent =
      endpoint.protocol === 'http' ? new HttpAgent({ keepAlive: true }) : new HttpsAgent({ keepAlive: true });
    this.stripe = new Stripe(options.apiKey, {
      host: endpoint.host,
      port: endpoint.port,
      protocol: endpoint.protocol,
      timeout: this.timeoutMs,
      maxNetworkRetries: 0,
      httpAgent: this.agent,
      telemetry: false,
      appInfo: { name: 'PayFlow' },
    });
  }

  async authorize(request: AuthorizeRequest): Promise<PspResult> {
    const params = this.prepare(() => toPaymentIntentCreateParams(request));
    try {
      const intent = await this.stripe.paymentIntents.create(params, {
        idempotencyKey: stripeKey(request.idempotencyKey),
      });
      return fromAuthorizedPaymentIntent(intent);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) return declinedFromCardError(error, request);
      throw classifyStripeError(error, this.timeoutMs);
    }
  }

  async capture(request: CaptureRequest): Promise<PspResult> {
    const params = this.prepare(() => toPaymentIntentCaptureParams(request));
    try {
      const intent = await this.stripe.paymentIntents.capture(request.pspReference, params, {
        idempotencyKey: stripeKey(request.idempotencyKey),
      });
      return fromCapturedPaymentIntent(intent);
    } catch (error) {
      if (error instanceof Stripe.errors.StripeCardError) return declinedFromCardError(error, request);
      throw classifyStripeError(error, this.timeoutMs);
    }
  }

  async refund(request: RefundRequest): Promise<PspResult> {
    const params = this.prepare(() => toRefundCreateParams(request));
    try {
      const refund = await this.stripe.refunds.create(params, {
        idempotencyKey: stripeKey(request.idempotencyKey),
      });
      return fromRefund(refund);
    } catch (error) {
      throw classifyStripeError(error, this.timeoutMs);
    }
  }

  async cancel(request: CancelRequest): Promise<PspResult> {
    try {
      const intent = await this.stripe.paymentIntents.cancel(
        request.pspReference,
        toPaymentIntentCancelParams(request),
        {
          idempotencyKey: stripeKey(request.idempotencyKey),
        },
      );
      return fromCanceledPaymentIntent(intent);
    } catch (error) {
      throw classifyStripeError(error, this.timeoutMs);
    }
  }

  async retrieve(request: RetrieveRequest): Promise<PspPaymentSnapshot> {
    try {
      return toSnapshot(await this.stripe.paymentIntents.retrieve(request.pspReference));
    } catch (error) {
      throw classifyStripeError(error, this.timeoutMs);
    }
  }

  verifyAndParseWebhook(rawBody: Buffer, headers: WebhookHeaders): PspNotification[] {
    return verifyAndParseStripeWebhook(rawBody, headers, {
      secret: this.options.webhookSecret ?? '',
      toleranceSeconds: this.options.webhookToleranceSeconds,
    });
  }

  async close(): Promise<void> {
    this.agent.destroy();
  }

  /** Builds request parameters; an amount Stripe cannot represent is refused before sending. */
  private prepare<T>(build: () => T): T {
    try {
      return build();
    } catch (error) {
      throw unsendableRequest('stripe', error) ?? error;
    }
  }
}

function stripeKey(key: string): string {
  return boundedIdempotencyKey(key, STRIPE_MAX_IDEMPOTENCY_KEY_LENGTH);
}
