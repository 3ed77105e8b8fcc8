import type { LaterFailure } from '../shared/test-cards';
import type { AdyenNotificationEvent } from './adyen-notifications';

/** Adyen Checkout shapes the simulator reads and answers (camelCase, amounts as {value, currency}). */
export interface AdyenAmount {
  value: number;
  currency: string;
}

/** One payment as the simulated Adyen keeps it. */
export interface AdyenPayment {
  pspReference: string;
  merchantAccount: string;
  amount: AdyenAmount;
  reference: string;
  merchantOrderReference?: string;
  metadata: Record<string, string>;
  /** The PayFlow ids parsed from `reference` (`<intent>:<attempt>`), else from metadata. */
  intentId: string | null;
  attemptId: string | null;
  /** Adyen's `paymentMethod`: `visa`, `mc`, … */
  brand: string;
  /** What happens after a success with this card (`pm_card_…FailsLater`). */
  later?: LaterFailure;
  authorised: boolean;
  manualCapture: boolean;
  /** As the request said (`Ecommerce`, `ContAuth`, …), recorded for tests; null when absent. */
  shopperInteraction: string | null;
  /** As the request said (`Subscription`, `UnscheduledCardOnFile`, …); null when absent. */
  recurringProcessingModel: string | null;
  captured: number;
  refunded: number;
  cancelled: boolean;
  failedCaptures: number;
  failedRefunds: number;
  /**
   * The refunds that succeeded and still stand (their REFUND notifications): a capture that fails
   * later takes them down with it, since there is nothing left to refund.
   */
  standingRefunds: AdyenNotificationEvent[];
  /** The refusal, for a refused payment (its notification carries the same). */
  refusal?: AdyenRefusal;
}

/** A refusal as Adyen words it in the answer and in the AUTHORISATION notification. */
export interface AdyenRefusal {
  refusalReason: string;
  refusalReasonCode: string;
  refusalReasonRaw: string;
  merchantAdviceCode?: string;
}

export type AdyenModificationKind = 'capture' | 'refund' | 'cancel';

/** `POST /cancels`: a technical cancel by the payment's merchant reference. */
export interface AdyenTechnicalCancelBody {
  merchantAccount?: unknown;
  paymentReference?: unknown;
  reference?: unknown;
}

export interface AdyenRequestBody {
  merchantAccount?: unknown;
  amount?: { value?: unknown; currency?: unknown };
  reference?: unknown;
  merchantOrderReference?: unknown;
  metadata?: Record<string, unknown>;
  paymentMethod?: { type?: unknown; storedPaymentMethodId?: unknown };
  additionalData?: Record<string, unknown>;
  captureDelayHours?: unknown;
  shopperInteraction?: unknown;
  recurringProcessingModel?: unknown;
}
