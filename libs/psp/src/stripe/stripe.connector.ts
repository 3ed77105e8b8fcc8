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
  FindRefundRequest,
  RefundRequest,
  RetrieveRequest,
} from '../core/psp-requests';
import { PspError } from '../core/psp-error';
import type { PspPaymentSnapshot, PspPrepared, PspRefundSnapshot, PspResult } from '../core/psp-results';
import { STRIPE_MAX_IDEMPOTENCY_KEY_LENGTH, boundedIdempotencyKey } from '../core/idempotency-key';
import { unsendableRequest } from '../core/request-errors';
import { STRIPE_CAPABILITIES } from './stripe.capabilities';
import { classifyStripeError } from './stripe.codes';
import { STRIPE_METADATA } from './stripe.metadata';
import { STRIPE_DEFAULT_TIMEOUT_MS, stripeEndpoint, type StripeConnectorOptions } from './stripe.options';
import {
  declinedFromCardError,
  fromAuthorizedPaymentIntent,
  fromCanceledPaymentIntent,
  fromCapturedPaymentIntent,
  fromRefund,
  toPaymentIntentCancelParams,
  toPaymentIntentCaptureParams,
  toPaymentIntentConfirmParams,
  toPaymentIntentCreateParams,
  toRefundCreateParams,
  toRefundSnapshot,
  toSnapshot,
} from './stripe.transformers';
import { verifyAndParseStripeWebhook } from './stripe.webhooks';

/**
 * Stripe through the official `stripe` SDK: PaymentIntents (created unconfirmed, then confirmed
 * server-side; manual or automatic capture), captures, refunds, cancels and retrieves. The SDK's
 * own retries are off (`maxNetworkRetries: 0`) because the orchestrator owns retries; every call
 * carries the attempt's idempotency key.
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

  /**
   * Step one of an authorization: the payment intent is created with `confirm: false` under the
   * key `<attempt key>_create`. Nothing moves, and a retry with the same key finds the same
   * `pi_…`, so every failure here is `not_executed` whatever its cause (even a timeout).
   */
  async prepareAuthorization(request: AuthorizeRequest): Promise<PspPrepared> {
    const params = this.prepare(() => toPaymentIntentCreateParams(request, false));
    try {
      const intent = await this.stripe.paymentIntents.create(params, {
        idempotencyKey: stripeKey(stripeCreateKey(request.idempotencyKey)),
      });
      return { provider: 'stripe', pspReference: intent.id };
    } catch (error) {
      throw asNotExecuted(classifyStripeError(error, this.timeoutMs));
    }
  }

  /**
   * Step two: confirms the prepared payment intent (`request.pspReference`) with the attempt's key.
   * Without a prepared id, creates and confirms in one call (attempts recorded before the two steps).
   */
  async authorize(request: AuthorizeRequest): Promise<PspResult> {
    const key = { idempotencyKey: stripeKey(request.idempotencyKey) };
    try {
      const intent = request.pspReference
        ? await this.stripe.paymentIntents.confirm(
            request.pspReference,
            this.prepare(() => toPaymentIntentConfirmParams(request)),
            key,
          )
        : await this.stripe.paymentIntents.create(
            this.prepare(() => toPaymentIntentCreateParams(request)),
            key,
          );
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

  /**
   * Voids the payment intent. Stripe refuses (400 `payment_intent_unexpected_state`) once it is
   * `succeeded` or `canceled`: a captured one is a `declined` PspError `already_captured` (the
   * orchestrator refunds instead); an already canceled one is what PayFlow wanted, so it succeeds.
   */
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
      if (isUnexpectedState(error)) return this.settleRefusedCancel(request, error);
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

  /** Reads a refund (`re_…` at Stripe): how a refund that succeeded and later failed is found out. */
  async retrieveRefund(request: RetrieveRequest): Promise<PspRefundSnapshot> {
    try {
      return toRefundSnapshot(await this.stripe.refunds.retrieve(request.pspReference));
    } catch (error) {
      throw classifyStripeError(error, this.timeoutMs);
    }
  }

  /**
   * The refund a refund attempt made, found in the payment intent's refunds list by its
   * `payflow_attempt_id` metadata. One page of 100 (newest first); if the page is full and holds no
   * match, Stripe may still hold it further back: indeterminate, not "none".
   */
  async findRefund(request: FindRefundRequest): Promise<PspRefundSnapshot | undefined> {
    let page: Stripe.ApiList<Stripe.Refund>;
    try {
      page = await this.stripe.refunds.list({ payment_intent: request.paymentPspReference, limit: 100 });
    } catch (error) {
      throw classifyStripeError(error, this.timeoutMs);
    }
    const found = page.data.find(
      (refund) => refund.metadata?.[STRIPE_METADATA.attemptId] === request.attemptId,
    );
    if (found) return toRefundSnapshot(found);
    if (page.has_more) {
      throw new PspError({
        provider: 'stripe',
        errorClass: 'indeterminate',
        retryable: false,
        code: 'refund_not_found_in_page',
        message: `Stripe payment intent ${request.paymentPspReference} has more than 100 refunds; the refund of ${request.attemptId} is not among the newest`,
      });
    }
    return undefined;
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

  /**
   * A cancel Stripe refused for the payment intent's state: reads the state from the error's
   * `payment_intent`, or retrieves it when the error has none.
   */
  private async settleRefusedCancel(
    request: CancelRequest,
    error: InstanceType<typeof Stripe.errors.StripeError>,
  ): Promise<PspResult> {
    let intent = error.payment_intent;
    if (!intent?.status) {
      try {
        intent = await this.stripe.paymentIntents.retrieve(request.pspReference);
      } catch (retrieveError) {
        throw classifyStripeError(retrieveError, this.timeoutMs);
      }
    }
    if (intent.status === 'canceled') return fromCanceledPaymentIntent(intent);
    if (intent.status === 'succeeded') {
      throw new PspError({
        provider: 'stripe',
        errorClass: 'declined',
        retryable: false,
        code: 'already_captured',
        providerCode: 'payment_intent_unexpected_state',
        httpStatus: error.statusCode,
        type: 'invalid_request_error',
        message: `Stripe payment intent ${intent.id} is already captured and cannot be voided`,
        cause: error,
      });
    }
    throw classifyStripeError(error, this.timeoutMs);
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

/** The key of the unconfirmed create: derived from the attempt's, so a retry finds the same `pi_…`. */
export function stripeCreateKey(attemptKey: string): string {
  return `${attemptKey}_create`;
}

function isUnexpectedState(error: unknown): error is InstanceType<typeof Stripe.errors.StripeError> {
  return (
    error instanceof Stripe.errors.StripeInvalidRequestError &&
    error.code === 'payment_intent_unexpected_state'
  );
}

/** Creating an unconfirmed payment intent moves no money: any failure of it is not a charge. */
function asNotExecuted(error: PspError): PspError {
  if (error.errorClass === 'not_executed') return error;
  return new PspError({
    provider: error.provider,
    errorClass: 'not_executed',
    retryable: error.retryable,
    code: error.code,
    message: error.message,
    type: error.type,
    providerCode: error.providerCode,
    httpStatus: error.httpStatus,
    cause: error,
  });
}
