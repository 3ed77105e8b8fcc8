import { BPS_DENOMINATOR, MAX_AMOUNT_MINOR, currencyExponent, isCurrencyCode } from '@payflow/contracts';
import { ApiError, FEE_SCHEDULE_HEADER } from '@payflow/platform/http';

/** A merchant's schedule: `fee_bps` of the amount plus a fixed fee per currency. */
export interface FeeSchedule {
  fee_bps: number;
  /** Absent when the merchant never set fixed fees: the platform default applies. */
  fee_fixed?: Record<string, number>;
}

/** What one intent pays, stamped on it when a charge is requested. */
export interface FeeCharge {
  fee_bps: number;
  fee_fixed: number;
}

/** API.md: default 290 bps, and 30 minor units for every currency of exponent 2, 0 for others. */
export const DEFAULT_FEE_BPS = 290;
export function defaultFixedFee(currency: string): number {
  return currencyExponent(currency) === 2 ? 30 : 0;
}
export const DEFAULT_FEE_SCHEDULE: FeeSchedule = { fee_bps: DEFAULT_FEE_BPS };

const isFeeAmount = (n: unknown): n is number =>
  typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_AMOUNT_MINOR;

/**
 * Reads the gateway's header; absent means the platform default. A malformed header is the
 * gateway's bug, refused with a 400 naming the header rather than guessed.
 */
export function parseFeeSchedule(header: string | undefined): FeeSchedule {
  if (header === undefined || header === '') return DEFAULT_FEE_SCHEDULE;
  const invalid = () =>
    ApiError.invalidParam(
      FEE_SCHEDULE_HEADER,
      `${FEE_SCHEDULE_HEADER} must be JSON {"fee_bps": int, "fee_fixed"?: {CUR: int}}`,
    );
  let parsed: unknown;
  try {
    parsed = JSON.parse(header);
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
  const { fee_bps, fee_fixed } = parsed as Record<string, unknown>;
  if (typeof fee_bps !== 'number' || !Number.isInteger(fee_bps) || fee_bps < 0 || fee_bps > BPS_DENOMINATOR)
    throw invalid();
  if (fee_fixed === undefined || fee_fixed === null) return { fee_bps };
  if (typeof fee_fixed !== 'object' || Array.isArray(fee_fixed)) throw invalid();
  const fixed: Record<string, number> = {};
  for (const [currency, amount] of Object.entries(fee_fixed)) {
    if (!isCurrencyCode(currency) || !isFeeAmount(amount)) throw invalid();
    fixed[currency.toUpperCase()] = amount;
  }
  return { fee_bps, fee_fixed: fixed };
}

/**
 * The fee one intent pays: the schedule's percentage and its fixed fee for the intent's currency.
 * A schedule that names fixed fees but not this currency charges none for it (DESIGN.md, Ledger);
 * a schedule with no fixed fees at all is the platform default (API.md).
 */
export function feeChargeFor(schedule: FeeSchedule, currency: string): FeeCharge {
  const fixed =
    schedule.fee_fixed === undefined ? defaultFixedFee(currency) : (schedule.fee_fixed[currency] ?? 0);
  return { fee_bps: schedule.fee_bps, fee_fixed: fixed };
}
