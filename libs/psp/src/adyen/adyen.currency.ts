import { fromPspAmount, toPspAmount, type PspCurrencyRules } from '../core/psp-currency';

/**
 * Adyen's currency table departs from ISO 4217 for four currencies
 * (https://docs.adyen.com/development-resources/currency-codes): CLP and ISK have 2 decimals at
 * Adyen (ISO: 0), CVE and IDR have none (ISO: 2). So 5 ISK is sent as 500, and an IDR amount must
 * be whole rupiah (a multiple of 100 ISO minor units) to be sent at all.
 */
export const ADYEN_CURRENCY_RULES: PspCurrencyRules = Object.freeze({
  exponentOverrides: Object.freeze({ CLP: 2, ISK: 2, CVE: 0, IDR: 0 }),
});

/** PayFlow (ISO) minor units → Adyen's `amount.value`. */
export function toAdyenAmount(isoAmount: number, currency: string): number {
  return toPspAmount(ADYEN_CURRENCY_RULES, isoAmount, currency);
}

/** Adyen's `amount.value` → PayFlow (ISO) minor units. */
export function fromAdyenAmount(adyenValue: number, currency: string): number {
  return fromPspAmount(ADYEN_CURRENCY_RULES, adyenValue, currency);
}
