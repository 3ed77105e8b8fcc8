import type { Provider } from '@payflow/contracts';
import type { PspCapabilities } from './capabilities';
import type { PspNotification, WebhookHeaders } from './psp-notification';
import type {
  AuthorizeRequest,
  CancelByReferenceRequest,
  CancelRequest,
  CaptureRequest,
  FindRefundRequest,
  RefundRequest,
  RetrieveRequest,
} from './psp-requests';
import type { PspPaymentSnapshot, PspRefundSnapshot, PspPrepared, PspResult } from './psp-results';

/**
 * One PSP behind PayFlow's normalized interface (DESIGN.md, "PSP connectors and the orchestrator").
 *
 * Operations resolve to a `PspResult` when the PSP answered (including card declines) and reject
 * with a `PspError` otherwise, classified `declined`, `not_executed` or `indeterminate`. Connectors
 * never retry: the orchestrator owns retries, as scheduled rows, with the same idempotency key.
 */
export interface PspConnector {
  readonly provider: Provider;
  readonly capabilities: PspCapabilities;

  /**
   * PSPs whose payments can be read back (Stripe): creates the payment unconfirmed — no money moves —
   * and returns its id, which the orchestrator records before `authorize` confirms it with the
   * attempt's key. So every such attempt has an id to `retrieve` (DESIGN.md, "Faults"). Absent on
   * PSPs without the step (Adyen). Failures of this call are surely not a charge.
   */
  prepareAuthorization?(request: AuthorizeRequest): Promise<PspPrepared>;
  /** Authorizes; with `request.pspReference` (a prepared payment) it confirms that payment. */
  authorize(request: AuthorizeRequest): Promise<PspResult>;
  capture(request: CaptureRequest): Promise<PspResult>;
  refund(request: RefundRequest): Promise<PspResult>;
  /** Voids an authorization. */
  cancel(request: CancelRequest): Promise<PspResult>;
  /** Reads a payment's state (`capabilities.retrieve`; Adyen has no such call and throws). */
  retrieve(request: RetrieveRequest): Promise<PspPaymentSnapshot>;
  /** Reads a refund's state by its PSP id (Stripe); absent where the PSP has no such call (Adyen). */
  retrieveRefund?(request: RetrieveRequest): Promise<PspRefundSnapshot>;
  /**
   * Finds the refund a refund attempt made when its answer was lost (no refund id recorded), by the
   * payment and the attempt id the refund carries (Stripe: the payment's refunds list, which unlike
   * search is consistent). Undefined: the PSP holds no refund of that attempt — it did not execute.
   * Absent where the PSP has no such call (Adyen).
   */
  findRefund?(request: FindRefundRequest): Promise<PspRefundSnapshot | undefined>;
  /**
   * Cancels an authorization by PayFlow's reference when the PSP's is unknown (Adyen technical
   * cancel; answers `pending`, the outcome comes as a `cancel` notification). Absent on Stripe,
   * where every attempt has a recorded id to cancel.
   */
  cancelByReference?(request: CancelByReferenceRequest): Promise<PspResult>;

  /**
   * Verifies a webhook request's signature over its raw body and normalizes what it reports. Throws
   * `WebhookSignatureError` (answer 400, store nothing) or `WebhookPayloadError` (signed but not
   * the PSP's format). Returns no notification for well-formed events PayFlow does not act on.
   */
  verifyAndParseWebhook(rawBody: Buffer, headers: WebhookHeaders): PspNotification[];

  /** Releases pooled connections (service shutdown, tests). */
  close(): Promise<void>;
}
