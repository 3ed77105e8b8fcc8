/**
 * Network advice codes that tell the merchant never to retry the card: Mastercard's merchant
 * advice codes 03 ("Do not try again") and 21 ("Payment cancellation"), which Stripe passes on as
 * `network_advice_code` and Adyen as `additionalData.merchantAdviceCode`. Mastercard fines
 * merchants who retry them, so a decline carrying one is hard whatever its decline code says.
 */
const NEVER_RETRY_ADVICE_CODES = new Set(['03', '21']);

export function adviceForbidsRetry(adviceCode: string | undefined | null): boolean {
  return Boolean(adviceCode && NEVER_RETRY_ADVICE_CODES.has(adviceCode));
}

/**
 * The code that leads a PSP's "code : text" field: `51 : Insufficient funds` → `51`,
 * `03: Do not try again` → `03`, `N7 : Decline for CVV2 failure` → `N7`. Undefined when the text
 * does not start with a two-character code.
 */
export function leadingCode(text: string | undefined | null): string | undefined {
  const match = /^\s*([0-9A-Za-z]{2})\s*(?::|$)/.exec(text ?? '');
  return match?.[1]?.toUpperCase();
}

/**
 * Card network names as PayFlow writes them (lower case, Stripe's spelling), from what PSPs say:
 * Stripe's `card.brand` already is; Adyen's `paymentMethod` variant uses `mc`, `amex`, `cup`, and
 * suffixes (`visadebit`, `mccredit`, `mc_applepay`).
 */
const NETWORK_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  mc: 'mastercard',
  mastercard: 'mastercard',
  maestro: 'mastercard',
  visa: 'visa',
  electron: 'visa',
  amex: 'amex',
  american_express: 'amex',
  discover: 'discover',
  diners: 'diners',
  jcb: 'jcb',
  cup: 'unionpay',
  unionpay: 'unionpay',
  cartebancaire: 'cartes_bancaires',
  cartes_bancaires: 'cartes_bancaires',
});

export function cardNetwork(brand: string | undefined | null): string | undefined {
  if (!brand) return undefined;
  const lower = brand.trim().toLowerCase().replace(/\s+/g, '_');
  if (!lower) return undefined;
  if (NETWORK_ALIASES[lower]) return NETWORK_ALIASES[lower];
  // Adyen variants: `visadebit`, `mccredit`, `mc_applepay`, `amex_googlepay` → their network.
  for (const prefix of ['visa', 'mc', 'amex', 'maestro', 'discover', 'diners', 'jcb', 'cup']) {
    if (lower.startsWith(prefix)) return NETWORK_ALIASES[prefix];
  }
  return lower;
}
