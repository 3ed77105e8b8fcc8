import type { Provider } from '@payflow/contracts';

/** A payment's final state at the simulated PSP, in one vocabulary for both PSPs. */
export type HeldPaymentStatus =
  'requires_confirmation' | 'processing' | 'refused' | 'authorized' | 'captured' | 'canceled';

/**
 * One payment as a simulated PSP holds it, in one shape for both PSPs: what the chaos invariant
 * "PayFlow agrees with the PSP" compares with. Amounts are integer minor units and final: a capture
 * that later failed (Adyen CAPTURE_FAILED) is not captured, and a refund that later failed or was
 * reversed is not refunded. docs/simulator.md describes every field.
 */
export interface HeldPayment {
  provider: Provider;
  psp_reference: string;
  /** The PayFlow intent and attempt the payment was made for (Adyen: its `<intent>:<attempt>` reference; Stripe: metadata). */
  intent_id: string | null;
  attempt_id: string | null;
  amount: number;
  currency: string;
  status: HeldPaymentStatus;
  /** The authorization succeeded (money reserved or taken), whatever happened after. */
  authorized: boolean;
  /** Same as `amount_captured` (kept for earlier readers). */
  captured: number;
  /** Same as `amount_refunded` (kept for earlier readers). */
  refunded: number;
  canceled: boolean;
  /** What the authorization reserved; 0 when it never succeeded. */
  amount_authorized: number;
  /** Still reserved on the card: authorized, not captured, not voided. */
  amount_held: number;
  amount_captured: number;
  /** Refunds that succeeded and stayed so. */
  amount_refunded: number;
  /** What the customer is charged in the end: captured − refunded. */
  net_charge: number;
  /** Captures that succeeded and then failed (Adyen CAPTURE_FAILED). */
  failed_captures: number;
  /** Refunds that succeeded and then failed or were reversed. */
  failed_refunds: number;
  /** Stripe: whether the confirm (or create-and-confirm) said `off_session`; null at Adyen. */
  off_session: boolean | null;
  /** Adyen: the authorization's `shopperInteraction` and `recurringProcessingModel` as sent; null at Stripe. */
  shopper_interaction: string | null;
  recurring_processing_model: string | null;
}

/** The facts `heldPaymentStatus` reads, as each PSP knows them. */
export interface PaymentFacts {
  refused: boolean;
  unconfirmed: boolean;
  processing: boolean;
  authorized: boolean;
  captured: number;
  canceled: boolean;
}

/** One status from a PSP's facts: a void or capture outranks the authorization it followed. */
export function heldPaymentStatus(facts: PaymentFacts): HeldPaymentStatus {
  if (facts.canceled) return 'canceled';
  if (facts.captured > 0) return 'captured';
  if (facts.authorized) return 'authorized';
  if (facts.refused) return 'refused';
  if (facts.processing) return 'processing';
  return 'requires_confirmation';
}
