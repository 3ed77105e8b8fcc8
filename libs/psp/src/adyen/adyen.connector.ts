import { CheckoutAPI, Client, EnvironmentEnum } from '@adyen/api-library';
import type { PaymentsApi } from '@adyen/api-library/lib/src/services/checkout/paymentsApi';
import type { ModificationsApi } from '@adyen/api-library/lib/src/services/checkout/modificationsApi';
import type { PspCapabilities } from '../core/capabilities';
import { PspError } from '../core/psp-error';
import type { PspConnector } from '../core/psp-connector';
import type { PspNotification, WebhookHeaders } from '../core/psp-notification';
import type {
  AuthorizeRequest,
  CancelByReferenceRequest,
  CancelRequest,
  CaptureRequest,
  RefundRequest,
  RetrieveRequest,
} from '../core/psp-requests';
import type { PspPaymentSnapshot, PspResult } from '../core/psp-results';
import { ADYEN_MAX_IDEMPOTENCY_KEY_LENGTH, boundedIdempotencyKey } from '../core/idempotency-key';
import { unsendableRequest } from '../core/request-errors';
import { ADYEN_CAPABILITIES } from './adyen.capabilities';
import { classifyAdyenError } from './adyen.codes';
import { AdyenFetchClient } from './adyen.http-client';
import {
  ADYEN_DEFAULT_CHECKOUT_BASE_URL,
  ADYEN_DEFAULT_RETURN_URL,
  ADYEN_DEFAULT_TIMEOUT_MS,
  type AdyenConnectorOptions,
} from './adyen.options';
import {
  fromModificationResponse,
  fromPaymentResponse,
  fromStandaloneCancelResponse,
  toCancelRequest,
  toCaptureRequest,
  toPaymentRequest,
  toRefundRequest,
  toStandaloneCancelRequest,
} from './adyen.transformers';
import { verifyAndParseAdyenNotification } from './adyen.webhooks';

/**
 * Adyen through the official `@adyen/api-library`: Checkout `/payments` and the modifications
 * (`/payments/{pspReference}/captures|refunds|cancels`), which answer `received` — the outcome
 * arrives by webhook. The SDK's base URLs are fixed, so the client gets PayFlow's own
 * `ClientInterface` that sends to the configured base URL.
 */
export class AdyenConnector implements PspConnector {
  readonly provider = 'adyen' as const;
  readonly capabilities: PspCapabilities = ADYEN_CAPABILITIES;
  private readonly payments: PaymentsApi;
  private readonly modifications: ModificationsApi;
  private readonly timeoutMs: number;

  constructor(private readonly options: AdyenConnectorOptions) {
    this.timeoutMs = options.timeoutMs ?? ADYEN_DEFAULT_TIMEOUT_MS;
    const client = new Client(
      // TEST keeps the SDK's URLs in their simplest form; the real destination is `checkoutBaseUrl`.
      {
        apiKey: options.apiKey,
        environment: EnvironmentEnum.TEST,
        applicationName: 'PayFlow',
        connectionTimeoutMillis: this.timeoutMs,
      },
      new AdyenFetchClient(options.checkoutBaseUrl ?? ADYEN_DEFAULT_CHECKOUT_BASE_URL, this.timeoutMs),
    );
    const checkout = new CheckoutAPI(client);
    this.payments = checkout.PaymentsApi;
    this.modifications = checkout.ModificationsApi;
  }

  async authorize(request: AuthorizeRequest): Promise<PspResult> {
    const body = this.prepare(() =>
      toPaymentRequest(
        request,
        this.options.merchantAccount,
        this.options.returnUrl ?? ADYEN_DEFAULT_RETURN_URL,
      ),
    );
    try {
      const response = await this.payments.payments(body, {
        idempotencyKey: adyenKey(request.idempotencyKey),
      });
      return fromPaymentResponse(response, request);
    } catch (error) {
      throw classifyAdyenError(error, this.timeoutMs);
    }
  }

  async capture(request: CaptureRequest): Promise<PspResult> {
    const body = this.prepare(() => toCaptureRequest(request, this.options.merchantAccount));
    try {
      const response = await this.modifications.captureAuthorisedPayment(request.pspReference, body, {
        idempotencyKey: adyenKey(request.idempotencyKey),
      });
      return fromModificationResponse(response, request);
    } catch (error) {
      throw classifyAdyenError(error, this.timeoutMs);
    }
  }

  async refund(request: RefundRequest): Promise<PspResult> {
    const body = this.prepare(() => toRefundRequest(request, this.options.merchantAccount));
    try {
      const response = await this.modifications.refundCapturedPayment(request.pspReference, body, {
        idempotencyKey: adyenKey(request.idempotencyKey),
      });
      return fromModificationResponse(response, request);
    } catch (error) {
      throw classifyAdyenError(error, this.timeoutMs);
    }
  }

  async cancel(request: CancelRequest): Promise<PspResult> {
    try {
      const response = await this.modifications.cancelAuthorisedPaymentByPspReference(
        request.pspReference,
        toCancelRequest(request, this.options.merchantAccount),
        { idempotencyKey: adyenKey(request.idempotencyKey) },
      );
      return fromModificationResponse(response, request);
    } catch (error) {
      throw classifyAdyenError(error, this.timeoutMs);
    }
  }

  /**
   * Adyen's technical cancel: `POST /cancels` naming the payment by PayFlow's reference, for an
   * authorization whose pspReference PayFlow never learnt. Answers `pending`; the outcome is a
   * `TECHNICAL_CANCEL` notification (refused with "Payment already captured" once captured).
   */
  async cancelByReference(request: CancelByReferenceRequest): Promise<PspResult> {
    try {
      const response = await this.modifications.cancelAuthorisedPayment(
        toStandaloneCancelRequest(request, this.options.merchantAccount),
        { idempotencyKey: adyenKey(request.idempotencyKey) },
      );
      return fromStandaloneCancelResponse(response, request);
    } catch (error) {
      throw classifyAdyenError(error, this.timeoutMs);
    }
  }

  /** Adyen Checkout cannot read a payment's state (see ADYEN_CAPABILITIES.retrieve). */
  async retrieve(request: RetrieveRequest): Promise<PspPaymentSnapshot> {
    throw new PspError({
      provider: 'adyen',
      errorClass: 'not_executed',
      retryable: false,
      code: 'operation_not_supported',
      type: 'invalid_request_error',
      message: `Adyen Checkout has no call to read payment ${request.pspReference}; its outcome arrives by webhook or by replaying the original call with its idempotency key`,
    });
  }

  verifyAndParseWebhook(rawBody: Buffer, _headers: WebhookHeaders): PspNotification[] {
    return verifyAndParseAdyenNotification(rawBody, this.options.hmacKey ?? '');
  }

  async close(): Promise<void> {
    // fetch's connection pool is process-wide and closes idle sockets by itself.
  }

  private prepare<T>(build: () => T): T {
    try {
      return build();
    } catch (error) {
      throw unsendableRequest('adyen', error) ?? error;
    }
  }
}

function adyenKey(key: string): string {
  return boundedIdempotencyKey(key, ADYEN_MAX_IDEMPOTENCY_KEY_LENGTH);
}
