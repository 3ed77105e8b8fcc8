import { currencyExponent, normalizeCurrency } from '@payflow/contracts';

/**
 * How a PSP writes amounts where it departs from ISO 4217. PayFlow keeps ISO minor units everywhere
 * (`@payflow/contracts`); a connector converts at its edge, in both directions, and refuses an
 * amount its PSP cannot represent instead of rounding money.
 */
export interface PspCurrencyRules {
  /** The PSP's exponent where it differs from ISO's (e.g. Adyen CLP 2 where ISO says 0). */
  readonly exponentOverrides: Readonly<Record<string, number>>;
  /**
   * Amounts, in the PSP's own minor units, must be a multiple of this (e.g. Stripe's three-decimal
   * currencies take only multiples of 10). Default 1.
   */
  readonly pspUnitStep?: Readonly<Record<string, number>>;
}

/** An amount the PSP cannot represent exactly in the other unit system. */
export class CurrencyConversionError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'CurrencyConversionError';
  }
}

export function pspExponent(rules: PspCurrencyRules, currency: string): number {
  const code = normalizeCurrency(currency);
  return rules.exponentOverrides[code] ?? currencyExponent(code);
}

function pspStep(rules: PspCurrencyRules, currency: string): number {
  return rules.pspUnitStep?.[normalizeCurrency(currency)] ?? 1;
}

function requireWholeAmount(amount: number, what: string): void {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new CurrencyConversionError(
      `${what} must be a non-negative whole number of minor units: ${amount}`,
    );
  }
}

/** ISO minor units → the PSP's minor units. Throws CurrencyConversionError when not representable. */
export function toPspAmount(rules: PspCurrencyRules, isoAmount: number, currency: string): number {
  requireWholeAmount(isoAmount, 'amount');
  const shift = pspExponent(rules, currency) - currencyExponent(currency);
  let pspAmount: number;
  if (shift >= 0) {
    pspAmount = isoAmount * 10 ** shift;
  } else {
    const divisor = 10 ** -shift;
    if (isoAmount % divisor !== 0) {
      throw new CurrencyConversionError(
        `${normalizeCurrency(currency)} ${isoAmount} (ISO minor units) has fractions the PSP cannot represent (it uses ${pspExponent(rules, currency)} decimals)`,
      );
    }
    pspAmount = isoAmount / divisor;
  }
  const step = pspStep(rules, currency);
  if (pspAmount % step !== 0) {
    throw new CurrencyConversionError(
      `${normalizeCurrency(currency)} amounts must be a multiple of ${step} in the PSP's minor units, got ${pspAmount}`,
    );
  }
  if (!Number.isSafeInteger(pspAmount)) throw new CurrencyConversionError(`amount too large: ${pspAmount}`);
  return pspAmount;
}

/** The PSP's minor units → ISO minor units. Throws CurrencyConversionError when not exact. */
export function fromPspAmount(rules: PspCurrencyRules, pspAmount: number, currency: string): number {
  requireWholeAmount(pspAmount, 'PSP amount');
  const shift = pspExponent(rules, currency) - currencyExponent(currency);
  if (shift <= 0) return pspAmount * 10 ** -shift;
  const divisor = 10 ** shift;
  if (pspAmount % divisor !== 0) {
    throw new CurrencyConversionError(
      `${normalizeCurrency(currency)} ${pspAmount} (PSP minor units) is not a whole number of ISO minor units`,
    );
  }
  return pspAmount / divisor;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/**
 * The smallest ISO amount step the PSP can take in `currency`: every chargeable amount is a
 * multiple of it (1 for most; Adyen IDR 100 because Adyen has no IDR decimals; Stripe KWD 10).
 */
export function isoAmountStep(rules: PspCurrencyRules, currency: string): number {
  const shift = pspExponent(rules, currency) - currencyExponent(currency);
  const step = pspStep(rules, currency);
  if (shift < 0) return step * 10 ** -shift;
  const scale = 10 ** shift;
  return step / gcd(step, scale);
}
