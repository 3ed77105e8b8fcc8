/**
 * The card brand of a payment method token, for brand rules. PayFlow's tokens name the brand the way
 * Stripe's test payment methods do (`pm_card_visa`, `pm_card_mastercard`, `pm_card_amex`); API.md's
 * decline and timeout test cards are Visa numbers at Stripe, so they read as `visa`.
 */
const KNOWN_TOKENS: Readonly<Record<string, string>> = Object.freeze({
  pm_card_chargeDeclined: 'visa',
  pm_card_chargeDeclinedInsufficientFunds: 'visa',
  pm_card_chargeDeclinedLostCard: 'visa',
  pm_card_timeout: 'visa',
});

/** Other names brands go by, normalized to one spelling. */
const ALIASES: Readonly<Record<string, string>> = Object.freeze({
  mc: 'mastercard',
  americanexpress: 'amex',
  american_express: 'amex',
  dinersclub: 'diners',
});

/** `pm_card_visa` → `visa`, `pm_card_mastercard` / `pm_card_mc` → `mastercard`; unknown → null. */
export function cardBrandOf(paymentMethod: string | null | undefined): string | null {
  if (!paymentMethod) return null;
  const known = KNOWN_TOKENS[paymentMethod];
  if (known) return known;
  const match = /^pm_card_([a-z]+)(?:_[a-z]+)*$/.exec(paymentMethod);
  if (!match) return null;
  const brand = match[1];
  return ALIASES[brand] ?? brand;
}

/** The payment method type of a token; PayFlow's tokens are all cards today. */
export function paymentMethodTypeOf(paymentMethod: string | null | undefined): string {
  if (paymentMethod && /^pm_(?!card_)[a-z]+_/.test(paymentMethod)) return paymentMethod.split('_')[1];
  return 'card';
}
