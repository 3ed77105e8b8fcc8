import { ADYEN_REFUSAL_REASONS } from './table/adyen-refusal-reasons';
import type { DeclineSection } from './table/decline-rule';
import { MASTERCARD_ADVICE_CODES, STRIPE_ADVICE_CODES } from './table/network-advice';
import { NETWORK_RESPONSE_CODES, VISA_CATEGORY_1_CODES } from './table/network-codes';
import { PAYFLOW_CODES } from './table/payflow-codes';
import { STRIPE_DECLINE_CODES, STRIPE_ERROR_CODES } from './table/stripe-decline-codes';

/**
 * The version of the decline table. Bump it on ANY change of a class, a delay or a code (added or
 * removed): `<date of the change>.<n>`, n counting changes of that day, so a classification can be
 * traced to the table that made it. decline-table.spec.ts holds the table's fingerprint per
 * version and fails until both are updated together.
 */
export const DECLINE_TABLE_VERSION = '2026-12-03.1';

/**
 * The one decline table: every vocabulary PayFlow's declines arrive in, each code with its class.
 * A section's name is the prefix of the classification's `reason` (`stripe:lost_card`,
 * `mastercard_advice:03`); `classify.ts` says in which order the sections are read.
 */
export const DECLINE_TABLE = Object.freeze({
  /** Mastercard merchant advice codes (Stripe `network_advice_code`, Adyen `merchantAdviceCode`). */
  mastercard_advice: MASTERCARD_ADVICE_CODES,
  /** Stripe's own `advice_code`. */
  stripe_advice: STRIPE_ADVICE_CODES,
  /** Visa's "issuer will never approve" response codes, for Visa cards. */
  visa_category_1: VISA_CATEGORY_1_CODES,
  /** Stripe `decline_code`s (libs/psp maps Adyen's refusals to them). */
  stripe: STRIPE_DECLINE_CODES,
  /** Raw network response codes (Stripe `network_decline_code`, Adyen `refusalReasonRaw`). */
  network_code: NETWORK_RESPONSE_CODES,
  /** Adyen `refusalReason` texts. */
  adyen: ADYEN_REFUSAL_REASONS,
  /** Stripe card-error codes that are no decline code (`card_declined`). */
  stripe_error: STRIPE_ERROR_CODES,
  /** PayFlow's own codes. */
  payflow: PAYFLOW_CODES,
} satisfies Record<string, DeclineSection>);

export type DeclineTableSection = keyof typeof DECLINE_TABLE;
