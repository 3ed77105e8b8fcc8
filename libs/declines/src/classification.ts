import type { DeclineClass } from '@payflow/contracts';

/** A failed payment's decline as PayFlow's events carry it (`invoice.payment_failed`, `last_error`). */
export interface DeclineFacts {
  /** last_error.code / the event's code: `card_declined`, `payment_outcome_unknown`, … */
  code: string;
  /** Stripe-style decline code (libs/psp maps Adyen's refusals to these). */
  decline_code: string | null;
  /** Card network, lower case: `visa`, `mastercard`, `amex`, … */
  network: string | null;
  /** Stripe `network_advice_code` / Mastercard merchant advice code / Adyen's advice. */
  advice_code: string | null;
  /** The network's raw response code (Visa `05`, `41`, `R1`…; Adyen refusalReasonRaw's code). */
  network_decline_code?: string | null;
  /** Adyen `refusalReason` text, when present. */
  adyen_refusal_reason?: string | null;
}

/** How a decline is retried. */
export interface Classification {
  class: DeclineClass;
  /** Stable, machine-readable: `stripe:lost_card`, `mastercard_advice:03`, `unknown:<code>`, … */
  reason: string;
  /** Minimum seconds before the next try (Mastercard advice codes 24–30), else 0. */
  min_delay_s: number;
  /** A hard decline: never retry this payment method; wait for a new one. */
  needs_new_payment_method: boolean;
}
