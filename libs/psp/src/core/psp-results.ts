import type { Provider } from '@payflow/contracts';

/**
 * The normalized answer to a PSP call that the PSP processed. Anything that is not an answer
 * (transport failure, 5xx, 429, a refused request) is thrown as a `PspError` instead.
 *
 * - `succeeded`: done (authorized, captured, refunded, voided).
 * - `pending`: accepted, the outcome arrives later by webhook (Adyen modifications answer
 *   `received`; a Stripe refund may be `pending`).
 * - `declined`: the PSP processed the request and said no (a card decline): final for the attempt.
 */
export type PspOutcome = 'succeeded' | 'pending' | 'declined';

/** Hard declines must not be retried with the same card; soft ones may succeed later. */
export type DeclineKind = 'hard' | 'soft';

interface PspResultBase {
  provider: Provider;
  /**
   * The PSP's reference of what this call created or changed: the payment for authorize, capture
   * and cancel on Stripe; the modification (capture, refund, cancel) on Adyen; the refund on Stripe.
   */
  pspReference: string;
  /** The PSP's reference of the payment itself (equal to `pspReference` for an authorization). */
  paymentPspReference: string;
  /** In PayFlow's (ISO) minor units. */
  amount: number;
  /** Upper case ISO 4217. */
  currency: string;
}

export interface PspSucceeded extends PspResultBase {
  outcome: 'succeeded';
  /** Authorizations with automatic capture: what was captured with them. */
  amountCaptured?: number;
}

export interface PspPending extends PspResultBase {
  outcome: 'pending';
}

export interface PspDeclined extends PspResultBase {
  outcome: 'declined';
  /** API.md `last_error.code`, e.g. `card_declined`, `insufficient_funds`, `lost_card`. */
  code: string;
  /** API.md `last_error.decline_code`, e.g. `generic_decline`. */
  declineCode?: string;
  message: string;
  declineKind: DeclineKind;
  /** The PSP's own code, for logs and support (Stripe `decline_code`, Adyen `refusalReasonCode`). */
  providerCode?: string;
  /** The card network, lower case (`visa`, `mastercard`, `amex`, …), where the PSP says. */
  network?: string;
  /**
   * The network's advice code where the PSP gives one: Stripe `network_advice_code` (`01`, `02`,
   * `03`), Mastercard's merchant advice code through Adyen (`additionalData.merchantAdviceCode`).
   */
  adviceCode?: string;
  /** The network's raw decline code where given (Stripe `network_decline_code`, Adyen `refusalReasonRaw`). */
  networkDeclineCode?: string;
}

export type PspResult = PspSucceeded | PspPending | PspDeclined;

/** A payment created at the PSP but not confirmed (Stripe `requires_confirmation`): nothing moved yet. */
export interface PspPrepared {
  provider: Provider;
  pspReference: string;
}

/** The state of a payment at the PSP, normalized, as `retrieve` reads it. */
export type PspPaymentStatus = 'pending' | 'authorized' | 'captured' | 'canceled' | 'failed';

export interface PspPaymentSnapshot {
  provider: Provider;
  pspReference: string;
  status: PspPaymentStatus;
  /** All in PayFlow's minor units. */
  amount: number;
  amountCapturable: number;
  amountReceived: number;
  currency: string;
  /** PayFlow's ids as the PSP echoes them back (metadata). */
  intentId?: string;
  attemptId?: string;
  /** Why the last authorization failed, when it did. */
  lastDecline?: Pick<
    PspDeclined,
    'code' | 'declineCode' | 'message' | 'declineKind' | 'network' | 'adviceCode'
  >;
}

/** A refund at the PSP, as `retrieveRefund` reads it (Stripe refunds; Adyen has no read call). */
export interface PspRefundSnapshot {
  provider: Provider;
  /** The refund's own id at the PSP (`re_…` on Stripe). */
  pspReference: string;
  /** `failed` also for a refund that succeeded first and failed later (Stripe `failure_reason`). */
  status: 'pending' | 'succeeded' | 'failed' | 'canceled';
  amount: number;
  currency: string;
  failureReason?: string;
  /** The PayFlow attempt that made it, as the PSP echoes it (Stripe metadata). */
  attemptId?: string;
}
