import { hard, soft, type DeclineSection } from './decline-rule';

/**
 * Adyen's `refusalReason` texts, as Adyen writes them, every one of
 * docs.adyen.com/development-resources/refusal-reasons (codes 2–46; libs/psp/src/adyen/adyen.codes.ts
 * holds the same list by code). Read case-insensitively when neither a network code nor a decline
 * code decided. Each text takes the class of the decline code libs/psp reads it as, so a refusal is
 * classified alike through either field.
 */
export const ADYEN_REFUSAL_REASONS: DeclineSection = Object.freeze({
  Refused: soft, // 2: the issuer's generic refusal → generic_decline.
  Referral: soft, // 3: "refer to issuer" → call_issuer.
  'Acquirer Error': soft, // 4: the acquirer failed to process → processing_error.
  'Blocked Card': hard, // 5: lost, stolen or closed card → blocked_card.
  'Expired Card': hard, // 6 → expired_card.
  'Invalid Amount': soft, // 7 → invalid_amount.
  'Invalid Card Number': hard, // 8 → incorrect_number.
  'Issuer Unavailable': soft, // 9 → issuer_not_available.
  'Not supported': hard, // 10: the card or network does not support it → card_not_supported.
  '3D Not Authenticated': soft, // 11 → authentication_required.
  'Not enough balance': soft, // 12 → insufficient_funds.
  'Acquirer Fraud': hard, // 14 → fraudulent.
  Cancelled: soft, // 15: cancelled before it completed → generic_decline.
  'Shopper Cancelled': soft, // 16 → generic_decline.
  'Invalid Pin': soft, // 17: card readers only → invalid_pin.
  'Pin tries exceeded': soft, // 18: card readers only → pin_try_exceeded.
  'Pin validation not possible': soft, // 19 → generic_decline.
  FRAUD: hard, // 20: Adyen's risk checks → fraudulent.
  'Not Submitted': soft, // 21: never reached the issuer → processing_error.
  'FRAUD-CANCELLED': hard, // 22 → fraudulent.
  'Transaction Not Permitted': hard, // 23 → transaction_not_allowed.
  'CVC Declined': hard, // 24 → incorrect_cvc: only corrected details help.
  'Restricted Card': hard, // 25 → restricted_card.
  'Revocation Of Auth': hard, // 26: the shopper revoked the recurring payment → revocation_of_authorization.
  'Declined Non Generic': hard, // 27: a specific refusal Adyen maps to no generic reason; libs/psp reads it as never to retry.
  'Withdrawal amount exceeded': soft, // 28 → card_velocity_exceeded.
  'Withdrawal count exceeded': soft, // 29 → withdrawal_count_limit_exceeded.
  'Issuer Suspected Fraud': hard, // 31 → fraudulent.
  'AVS Declined': hard, // 32: address mismatch → incorrect_zip.
  'Card requires online pin': soft, // 33 → online_or_offline_pin_required.
  'No checking account available on Card': hard, // 34 → invalid_account.
  'No savings account available on Card': hard, // 35 → invalid_account.
  'Mobile pin required': soft, // 36 → authentication_required.
  'Contactless fallback': soft, // 37: card readers only → generic_decline.
  'Authentication required': soft, // 38 → authentication_required.
  'RReq not received from DS': soft, // 39: 3-D Secure directory server did not answer → authentication_required.
  'Current AID is in Penalty Box': soft, // 40: card readers only → generic_decline.
  'CVM Required Restart Payment': soft, // 41: card readers only → authentication_required.
  '3DS Authentication Error': soft, // 42 → authentication_required.
  'Online PIN required': soft, // 43: card readers only → online_or_offline_pin_required.
  'Try another interface': soft, // 44: card readers only → generic_decline.
  'Chip downgrade mode': soft, // 45: card readers only → generic_decline.
  'Transaction blocked by Adyen to prevent excessive retry fees': hard, // 46: Adyen blocks retries the networks would charge → do_not_try_again.
});
