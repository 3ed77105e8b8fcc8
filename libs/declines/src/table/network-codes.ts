import { hard, soft, type DeclineSection } from './decline-rule';

/**
 * Visa's category 1 decline response codes, "issuer will never approve": Visa charges every
 * reattempt after one. Source: Visa Core Rules, ID# 0030640 "Decline Response Code Use" (categories
 * introduced by Visa bulletin AI10325, 2020; 03, 62, 78 and 93 moved to category 2 in April 2021).
 * Read from the network's raw response code (Stripe `network_decline_code`, the code leading
 * Adyen's `refusalReasonRaw`) of a Visa card.
 */
export const VISA_CATEGORY_1_CODES: DeclineSection = Object.freeze({
  '04': hard, // Pick up card (no fraud).
  '07': hard, // Pick up card, special condition (fraud account).
  '12': hard, // Invalid transaction.
  '14': hard, // Invalid account number (no such number).
  '15': hard, // No such issuer.
  '41': hard, // Lost card, pick up.
  '43': hard, // Stolen card, pick up.
  '46': hard, // Closed account.
  '57': hard, // Transaction not permitted to cardholder.
  R0: hard, // Stop payment order.
  R1: hard, // Revocation of authorization order.
  R3: hard, // Revocation of all authorizations order.
});

/**
 * Raw network response codes (ISO 8583 field 39 as Visa and Mastercard use it) of any network, as
 * Stripe's `network_decline_code` and Adyen's `refusalReasonRaw` ("51 : Insufficient funds") carry
 * them; read when no decline code decided. Each code takes the class of the Stripe decline code
 * that means the same (stripe-decline-codes.ts), so one card reads alike whichever field a PSP
 * filled. Sources: ISO 8583:1987 response codes; Visa Core Rules ID# 0030640 (categories 1–4);
 * Adyen "Raw acquirer responses" (docs.adyen.com/development-resources/raw-acquirer-responses).
 */
export const NETWORK_RESPONSE_CODES: DeclineSection = Object.freeze({
  '01': soft, // Refer to card issuer → call_issuer.
  '02': soft, // Refer to card issuer, special conditions → call_issuer.
  '03': soft, // Invalid merchant: Visa category 2 (a merchant set-up matter, not the card's).
  '04': hard, // Pick up card → pickup_card (Visa category 1).
  '05': soft, // Do not honor → do_not_honor (Visa category 4).
  '06': soft, // Error → processing_error.
  '07': hard, // Pick up card, special condition → pickup_card (Visa category 1).
  '12': hard, // Invalid transaction → transaction_not_allowed (Visa category 1).
  '13': soft, // Invalid amount → invalid_amount (Visa category 4).
  '14': hard, // Invalid card number → invalid_number (Visa category 1).
  '15': hard, // No such issuer → invalid_account (Visa category 1).
  '19': soft, // Re-enter transaction → reenter_transaction (Visa category 2).
  '21': soft, // No action taken → no_action_taken.
  '22': soft, // Suspected malfunction → processing_error.
  '30': soft, // Format error → processing_error.
  '31': soft, // Bank not supported by switch → issuer_not_available.
  '33': hard, // Expired card (Mastercard) → expired_card.
  '34': hard, // Suspected fraud (Mastercard) → fraudulent.
  '36': hard, // Restricted card (Mastercard) → restricted_card.
  '38': soft, // Allowable PIN tries exceeded → pin_try_exceeded.
  '39': hard, // No credit account → invalid_account.
  '41': hard, // Lost card → lost_card (Visa category 1).
  '43': hard, // Stolen card → stolen_card (Visa category 1).
  '46': hard, // Closed account → invalid_account (Visa category 1).
  '51': soft, // Not sufficient funds → insufficient_funds (Visa category 2).
  '52': hard, // No checking account → invalid_account.
  '53': hard, // No savings account → invalid_account.
  '54': hard, // Expired card → expired_card (Visa category 3: new card details needed).
  '55': soft, // Incorrect PIN → incorrect_pin (card readers only).
  '56': hard, // No card record → invalid_number.
  '57': hard, // Not permitted to cardholder → transaction_not_allowed (Visa category 1).
  '58': hard, // Not permitted to terminal → transaction_not_allowed.
  '59': hard, // Suspected fraud → fraudulent.
  '61': soft, // Exceeds withdrawal amount limit → card_velocity_exceeded (Visa category 2).
  '62': hard, // Restricted card → restricted_card.
  '63': hard, // Security violation → security_violation.
  '65': soft, // Exceeds withdrawal frequency limit → withdrawal_count_limit_exceeded (Visa category 2).
  '70': soft, // PIN data required → online_or_offline_pin_required (Visa category 4).
  '75': soft, // PIN tries exceeded → pin_try_exceeded (Visa category 2).
  '78': soft, // Blocked, first use: the account is only temporarily blocked (Visa category 2).
  '86': soft, // Cannot verify PIN → incorrect_pin (Visa category 2).
  '91': soft, // Issuer or switch inoperative → issuer_not_available (Visa category 2).
  '92': soft, // Destination cannot be found for routing → issuer_not_available.
  '93': hard, // Violation of law → transaction_not_allowed.
  '94': soft, // Duplicate transmission → duplicate_transaction.
  '96': soft, // System malfunction → processing_error (Visa category 2).
  '1A': soft, // Additional customer authentication required → authentication_required (Visa).
  '5C': hard, // Transaction not supported or blocked by issuer → transaction_not_allowed (Visa).
  '6P': hard, // Cardholder identification does not match → confirm card data (Visa category 3).
  N3: hard, // Cash service not available → service_not_allowed (Visa).
  N4: soft, // Cash request exceeds issuer limit → card_velocity_exceeded (Visa category 2).
  N7: hard, // Decline for CVV2 failure → incorrect_cvc (Visa category 3).
  R0: hard, // Stop payment order → stop_payment_order (Visa category 1).
  R1: hard, // Revocation of authorization → revocation_of_authorization (Visa category 1).
  R3: hard, // Revocation of all authorizations → revocation_of_all_authorizations (Visa category 1).
  Z5: soft, // Valid account, amount not supported → invalid_amount (Visa category 2).
});
