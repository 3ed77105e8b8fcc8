import { fromPspAmount, toPspAmount, type PspCurrencyRules } from '../core/psp-currency';

/**
 * Where Stripe's amounts depart from ISO 4217 (https://docs.stripe.com/currencies):
 * - zero-decimal currencies: BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF VND VUV XAF XOF XPF. All are
 *   ISO exponent 0 except MGA (ISO 2), whose ISO amounts must be whole ariary to be sent;
 * - ISK and UGX: zero-decimal in ISO, but Stripe keeps them two-decimal "for backwards
 *   compatibility" with the decimals always 00: 5 ISK is sent as 500;
 * - HUF and TWD: two-decimal in the API (as ISO); only payouts are whole units, which does not
 *   concern charges, so no conversion;
 * - three-decimal currencies BHD JOD KWD OMR TND: sent with three decimals, but the last digit
 *   must be 0 (Stripe rounds to two decimals of precision).
 */
export const STRIPE_CURRENCY_RULES: PspCurrencyRules = Object.freeze({
  exponentOverrides: Object.freeze({ MGA: 0, ISK: 2, UGX: 2 }),
  pspUnitStep: Object.freeze({ BHD: 10, JOD: 10, KWD: 10, OMR: 10, TND: 10, ISK: 100, UGX: 100 }),
});

/** PayFlow (ISO) minor units → Stripe's `amount`. */
export function toStripeAmount(isoAmount: number, currency: string): number {
  return toPspAmount(STRIPE_CURRENCY_RULES, isoAmount, currency);
}

/** Stripe's `amount` → PayFlow (ISO) minor units. */
export function fromStripeAmount(stripeAmount: number, currency: string): number {
  return fromPspAmount(STRIPE_CURRENCY_RULES, stripeAmount, currency);
}
