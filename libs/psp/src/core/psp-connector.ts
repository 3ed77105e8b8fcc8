import type { Provider } from '@payflow/contracts';
import type { PspCapabilities } from './capabilities';
import type { PspNotification, WebhookHeaders } from './psp-notification';
import type {
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  RefundRequest,
  RetrieveRequest,
} from './psp-requests';
import type { PspPaymentSnapshot, PspResult } from './psp-results';

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

  authorize(request: AuthorizeRequest): Promise<PspResult>;
  capture(request: CaptureRequest): Promise<PspResult>;
  refund(request: RefundRequest): Promise<PspResult>;
  /** Voids an authorization. */
  cancel(request: CancelRequest): Promise<PspResult>;
  retrieve(request: RetrieveRequest): Promise<PspPaymentSnapshot>;

  /**
   * Verifies a webhook request's signature over its raw body and normalizes what it reports. Throws
   * `WebhookSignatureError` (answer 400, store nothing) or `WebhookPayloadError` (signed but not
   * the PSP's format). Returns no notification for well-formed events PayFlow does not act on.
   */
  verifyAndParseWebhook(rawBody: Buffer, headers: WebhookHeaders): PspNotification[];

  /** Releases pooled connections (service shutdown, tests). */
  close(): Promise<void>;
}
