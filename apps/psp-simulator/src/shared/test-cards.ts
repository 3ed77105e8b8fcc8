/**
 * API.md's test payment methods, which decide outcomes like Stripe's test cards. Both simulated
 * PSPs honour them; each PSP writes the decline its own way (Stripe decline codes, Adyen refusal
 * reasons).
 */
export type CardBehaviour =
  | { kind: 'approve'; brand: string }
  | { kind: 'slow'; brand: string }
  | { kind: 'decline'; decline: 'generic' | 'insufficient_funds' | 'lost_card' };

const TEST_CARDS: Readonly<Record<string, CardBehaviour>> = Object.freeze({
  pm_card_visa: { kind: 'approve', brand: 'visa' },
  pm_card_mastercard: { kind: 'approve', brand: 'mc' },
  pm_card_chargeDeclined: { kind: 'decline', decline: 'generic' },
  pm_card_chargeDeclinedInsufficientFunds: { kind: 'decline', decline: 'insufficient_funds' },
  pm_card_chargeDeclinedLostCard: { kind: 'decline', decline: 'lost_card' },
  pm_card_timeout: { kind: 'slow', brand: 'visa' },
});

/**
 * The behaviour of a payment method token, or undefined when it is unknown. Other `pm_card_<brand>`
 * tokens (Stripe's brand test methods, e.g. `pm_card_amex`) approve, so tests may use any brand.
 */
export function cardBehaviour(token: string | undefined): CardBehaviour | undefined {
  if (!token) return undefined;
  const known = TEST_CARDS[token];
  if (known) return known;
  if (/^pm_card_[a-z]+$/.test(token)) return { kind: 'approve', brand: token.slice('pm_card_'.length) };
  return undefined;
}
