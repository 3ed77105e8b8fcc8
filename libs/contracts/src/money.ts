import { currencyExponent } from './currencies';

/**
 * Money is an integer number of minor units plus an ISO 4217 code, never a float: 0.1 + 0.2 is not
 * 0.3 in binary floating point, and a ledger must balance to the unit. Single amounts fit a JS
 * number exactly (they are capped far below 2^53); sums may not, so they are computed as bigint.
 */

/** The largest amount one payment may carry, in minor units (API.md). */
export const MAX_AMOUNT_MINOR = 99_999_999;

/** Basis points in one whole: 10 000 bps = 100 %. */
export const BPS_DENOMINATOR = 10_000;

/** A value that can be read as a whole number of minor units. */
export type MinorAmountLike = number | bigint | string;

/** Whether `n` is a chargeable amount: a safe integer from 1 to MAX_AMOUNT_MINOR. */
export function isValidAmountMinor(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 1 && n <= MAX_AMOUNT_MINOR;
}

/**
 * Reads minor units as a bigint. Numbers must be safe integers (a fractional or unsafe number has
 * already lost precision, so it is refused rather than rounded); strings must be plain decimal
 * integers, the form Postgres returns for `bigint` sums.
 */
export function toMinorBigInt(value: MinorAmountLike): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a whole number of minor units: ${value}`);
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new RangeError(`not a whole number of minor units: ${JSON.stringify(value)}`);
}

/** Sums amounts exactly; the result is a bigint because sums may pass 2^53. */
export function sumMinor(values: Iterable<MinorAmountLike>): bigint {
  let total = 0n;
  for (const value of values) total += toMinorBigInt(value);
  return total;
}

/**
 * The platform fee on `amount` (DESIGN.md, "Ledger"): `feeBps` basis points of the amount rounded
 * half-up, plus `feeFixedMinor`, never more than the amount itself.
 *
 * Integer arithmetic only: (amount × bps + 5000) / 10000 with bigint division truncating, which is
 * half-up for the non-negative values allowed here. E.g. 290 bps of 50 = 1.45 → 1; of 500 = 14.5 → 15.
 */
export function feeMinor(amount: number | bigint, feeBps: number, feeFixedMinor: number | bigint): bigint {
  const gross = toMinorBigInt(amount);
  const fixed = toMinorBigInt(feeFixedMinor);
  if (gross < 0n) throw new RangeError(`amount must not be negative: ${gross}`);
  if (fixed < 0n) throw new RangeError(`fixed fee must not be negative: ${fixed}`);
  if (!Number.isInteger(feeBps) || feeBps < 0 || feeBps > BPS_DENOMINATOR) {
    throw new RangeError(`fee_bps must be an integer from 0 to ${BPS_DENOMINATOR}: ${feeBps}`);
  }
  const denominator = BigInt(BPS_DENOMINATOR);
  const proportional = (gross * BigInt(feeBps) + denominator / 2n) / denominator;
  const fee = proportional + fixed;
  return fee > gross ? gross : fee;
}

/**
 * Minor units as a decimal string for humans (logs, dashboards, e-mails): 1050 USD → "10.50",
 * 5 JPY → "5", 1234 KWD → "1.234", -5 USD → "-0.05". String and bigint arithmetic only, so it is
 * exact for any size. Not for machines: the API always carries integers of minor units.
 */
export function formatMinor(amount: MinorAmountLike, currency: string): string {
  const exponent = currencyExponent(currency);
  const value = toMinorBigInt(amount);
  const sign = value < 0n ? '-' : '';
  const digits = (value < 0n ? -value : value).toString();
  if (exponent === 0) return `${sign}${digits}`;
  const padded = digits.padStart(exponent + 1, '0');
  return `${sign}${padded.slice(0, -exponent)}.${padded.slice(-exponent)}`;
}
