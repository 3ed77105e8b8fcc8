import { DAY_S, HOUR_S, hard, soft, softAfter, type DeclineSection } from './decline-rule';

/**
 * Mastercard merchant advice codes (MAC), two digits, as Stripe passes them in
 * `network_advice_code` and Adyen in `additionalData.merchantAdviceCode` ("03: Do not try again",
 * libs/psp keeps the digits). Mastercard charges merchants who retry 03 and 21, and asks them to
 * wait for 24–30. Sources: Mastercard's MAC list as processors publish it (the rules themselves are
 * not public) — Heartland Portico `RecurringDataCode`, Everonet "Mastercard Merchant Advice Code",
 * Cybersource `ccAuthReply_merchantAdviceCode`; issue 12 ("Mastercard advice codes 24–30 as
 * minimum delays").
 *
 * Codes that advise nothing about retrying (04 token requirements, 05 negotiated value, 22 product
 * code, 40/41 prepaid and virtual card markers) are not in the table: the decline's other codes
 * decide.
 */
export const MASTERCARD_ADVICE_CODES: DeclineSection = Object.freeze({
  '01': hard, // New account information available: the card changed; wait for the new one (Account Updater or the customer).
  '02': soft, // Cannot approve at this time, try again later.
  '03': hard, // Do not try again: retries are charged by Mastercard.
  '21': hard, // Payment cancellation: the cardholder cancelled the recurring payment; never resubmit.
  '24': softAfter(HOUR_S), // Retry after 1 hour.
  '25': softAfter(24 * HOUR_S), // Retry after 24 hours.
  '26': softAfter(2 * DAY_S), // Retry after 2 days.
  '27': softAfter(4 * DAY_S), // Retry after 4 days.
  '28': softAfter(6 * DAY_S), // Retry after 6 days.
  '29': softAfter(8 * DAY_S), // Retry after 8 days.
  '30': softAfter(10 * DAY_S), // Retry after 10 days.
});

/**
 * Stripe's own `advice_code` on a card error (docs.stripe.com/declines/card, "Retrying issuer
 * declines"), which replaces the guidance of its deprecated decline codes. `advice_code` carries it
 * when a PSP gives Stripe's words rather than the network's digits.
 */
export const STRIPE_ADVICE_CODES: DeclineSection = Object.freeze({
  do_not_try_again: hard, // "Do not use the card again for the same transaction."
  try_again_later: soft, // "The issuer declined, but the payment can be retried."
  confirm_card_data: hard, // "Some card information is incorrect": only new card details from the customer help an off-session charge.
});
