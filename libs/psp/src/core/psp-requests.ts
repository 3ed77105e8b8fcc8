/**
 * What the orchestrator asks a PSP to do, in PayFlow's terms. Amounts are ISO 4217 minor units
 * (the `@payflow/contracts` exponent table); each connector converts to its PSP's own exponent.
 *
 * Every request that changes money carries the attempt's idempotency key: a retry with the same key
 * makes the PSP answer the first outcome instead of acting twice (DESIGN.md, "PSP connectors").
 */

/** `manual`: authorize now, capture later; `automatic`: authorize and capture everything at once. */
export type CaptureMethod = 'manual' | 'automatic';

/** PayFlow's ids sent along with every call, so a webhook maps back even when it beats the answer. */
export interface PspCallContext {
  /** The payment intent (`pi_…`). */
  intentId: string;
  /** The orchestrator's attempt this call belongs to. */
  attemptId: string;
  /** The attempt's idempotency key; the same key on a retry makes the PSP replay the first outcome. */
  idempotencyKey: string;
}

export interface AuthorizeRequest extends PspCallContext {
  amount: number;
  currency: string;
  /** A payment method token, e.g. `pm_card_visa` (API.md test payment methods). */
  paymentMethod: string;
  captureMethod: CaptureMethod;
  /**
   * Merchant-initiated without the customer present (a subscription's invoice): Stripe `off_session`
   * on the confirm, Adyen `recurringProcessingModel: Subscription`. Absent: the customer's own payment.
   */
  offSession?: boolean;
  description?: string;
  /**
   * The payment `prepareAuthorization` created at the PSP (Stripe: the unconfirmed `pi_…`), which
   * this call confirms with the attempt's key. Absent for PSPs without a prepare step (Adyen).
   */
  pspReference?: string;
}

export interface CaptureRequest extends PspCallContext {
  /** The PSP's reference of the authorized payment. */
  pspReference: string;
  /** Up to the authorized amount; the rest is released. */
  amount: number;
  currency: string;
}

export interface RefundRequest extends PspCallContext {
  pspReference: string;
  /**
   * PayFlow's refund (`re_…`). Absent for a refund PayFlow sends on its own (reversing a late
   * success), which belongs to no merchant refund.
   */
  refundId?: string;
  amount: number;
  currency: string;
  reason?: string;
}

export interface CancelRequest extends PspCallContext {
  pspReference: string;
  /** The authorized amount and currency; some PSPs echo them, none need them to void. */
  amount: number;
  currency: string;
  reason?: string;
}

/**
 * Cancels an authorization by PayFlow's own reference, when PayFlow never learnt the PSP's
 * (Adyen's technical cancel, `POST /cancels` with `paymentReference`). The outcome comes by webhook
 * (`TECHNICAL_CANCEL`); Adyen refuses it for a payment already captured.
 */
export interface CancelByReferenceRequest extends PspCallContext {
  /** The authorization attempt whose payment is to be cancelled (its merchant reference is derived from it). */
  paymentIntentId: string;
  paymentAttemptId: string;
  reason?: string;
  /**
   * The authorization's amount and currency, echoed in the `pending` result (Adyen's answer to
   * `/cancels` carries neither). Without them the result has amount 0 and an empty currency.
   */
  amount?: number;
  currency?: string;
}

/**
 * Finds the refund a refund attempt created when its answer was lost (a saved 500, a reset after
 * execution): PayFlow never learnt the refund's id, only the payment's and its own attempt's.
 */
export interface FindRefundRequest {
  /** The payment the refund was made on (Stripe `pi_…`). */
  paymentPspReference: string;
  /** The refund attempt, as sent in the refund's metadata (`payflow_attempt_id`). */
  attemptId: string;
  /** For logs and errors only. */
  intentId?: string;
}

export interface RetrieveRequest {
  pspReference: string;
  /** For logs and errors only. */
  intentId?: string;
}
