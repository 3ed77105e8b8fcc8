import { hard, soft, type DeclineSection } from './decline-rule';

/**
 * Stripe's card `decline_code`s, every one documented at docs.stripe.com/declines/codes (also the
 * constants of stripe-php `Charge::DECLINED_*`), plus `blocked_card`, libs/psp's reading of Adyen
 * refusal 5 "Blocked Card" when no raw code says more. libs/psp maps Adyen's refusals to this
 * vocabulary, so it is the one most declines arrive in.
 *
 * Hard: the card on file will not be approved again as it is — lost, stolen, closed, fraud, revoked
 * or stopped, not allowed for this purchase, or card data the customer must correct (an off-session
 * renewal cannot re-enter a number, an expiry or a CVC). Soft: the issuer may approve later.
 */
export const STRIPE_DECLINE_CODES: DeclineSection = Object.freeze({
  approve_with_id: soft, // "The payment can't be authorized": attempt it again.
  authentication_not_handled: soft, // Authentication was required and not done: a later (authenticated) try may pass.
  authentication_required: soft, // 3-D Secure wanted; issuers may accept a later off-session try.
  call_issuer: soft, // "Declined for an unknown reason": like generic_decline.
  card_not_supported: hard, // "The card doesn't support this type of purchase."
  card_velocity_exceeded: soft, // Balance, credit or amount limit exceeded: it resets.
  currency_not_supported: hard, // "The card doesn't support the specified currency."
  do_not_honor: soft, // "Declined for an unknown reason" (Visa category 4, "05").
  do_not_try_again: hard, // Deprecated by Stripe for advice_code do_not_try_again; same meaning.
  duplicate_transaction: soft, // Same amount and card very recently: a later try is no duplicate.
  expired_card: hard, // "The card has expired": the customer must use another card.
  fraudulent: hard, // Stripe or the issuer suspects fraud.
  generic_decline: soft, // "Declined for an unknown reason."
  incorrect_address: hard, // Billing address mismatch: only corrected details help.
  incorrect_cvc: hard, // "The CVC number is incorrect": only corrected details help.
  incorrect_number: hard, // "The card number is incorrect."
  incorrect_pin: soft, // Card readers only: no new card needed.
  incorrect_zip: hard, // "The postal code is incorrect": only corrected details help.
  insufficient_funds: soft, // Funds may arrive (Visa category 2, "51").
  invalid_account: hard, // "The card, or account the card is connected to, is invalid."
  invalid_amount: soft, // Amount above what the issuer allows now (Visa "13" category 4).
  invalid_cvc: hard, // Same as incorrect_cvc.
  invalid_expiry_month: hard, // "The expiration month is invalid."
  invalid_expiry_year: hard, // "The expiration year is invalid."
  invalid_number: hard, // Same as incorrect_number.
  invalid_pin: soft, // Card readers only.
  issuer_not_available: soft, // "The card issuer couldn't be reached": attempt again.
  lost_card: hard, // Reported lost (Visa category 1, "41").
  merchant_blacklist: hard, // Matches the merchant's own block list.
  mobile_device_authentication_required: soft, // Authentication on the customer's device wanted.
  new_account_information_available: hard, // The card was replaced: wait for the new one (like Mastercard advice 01).
  no_action_taken: soft, // "Declined for an unknown reason."
  not_permitted: hard, // "The payment isn't permitted."
  offline_pin_required: soft, // Card readers only.
  online_or_offline_pin_required: soft, // Card readers only.
  pickup_card: hard, // The issuer wants the card back (Visa category 1, "04"/"07").
  pin_try_exceeded: soft, // Card readers only; Visa category 2 ("75").
  processing_error: soft, // "An error occurred while processing the card": attempt again.
  reenter_transaction: soft, // "The issuer couldn't process the payment": attempt again.
  restricted_card: hard, // "The card can't be used to make this payment."
  revocation_of_all_authorizations: hard, // Cardholder revoked all recurring payments (Visa category 1, "R3").
  revocation_of_authorization: hard, // Cardholder revoked this recurring payment (Visa category 1, "R1").
  security_violation: hard, // "Declined for a security violation."
  service_not_allowed: hard, // "The payment isn't permitted."
  stolen_card: hard, // Reported stolen (Visa category 1, "43").
  stop_payment_order: hard, // Cardholder stopped the payment (Visa category 1, "R0").
  testmode_decline: hard, // A Stripe test card used in live mode never passes.
  transaction_not_allowed: hard, // "The payment isn't permitted" (Visa category 1, "57").
  try_again_later: soft, // Deprecated by Stripe for advice_code try_again_later; same meaning.
  withdrawal_count_limit_exceeded: soft, // Withdrawal count limit: it resets.
  blocked_card: hard, // PayFlow (libs/psp): Adyen 5 "Blocked Card" — lost, stolen or closed, not told which.
});

/**
 * Stripe card-error `code`s that are no decline code, read when a decline comes without one.
 * Source: docs.stripe.com/error-codes. (Its other card-error codes — `expired_card`,
 * `incorrect_cvc`, … — are decline codes too and read from the table above.)
 */
export const STRIPE_ERROR_CODES: DeclineSection = Object.freeze({
  card_declined: soft, // A decline with no reason given: as generic_decline.
  card_decline_rate_limit_exceeded: soft, // "Declined too many times in the last 24 hours": the schedule's next day is later.
});
