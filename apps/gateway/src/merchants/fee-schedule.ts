import { currencyExponent, normalizeCurrency } from '@payflow/contracts';

/** API.md: 2.9 % … */
export const DEFAULT_FEE_BPS = 290;
/** … plus 30 minor units in every currency of exponent 2 (30 cents), 0 in the others. */
export const DEFAULT_FIXED_FEE_MINOR = 30;

/**
 * A merchant's fee schedule. `fee_fixed` is null when the operator never set fixed fees: the
 * platform default applies (API.md). A map replaces the default entirely: its fees, and none in a
 * currency it does not name (DESIGN.md, Ledger: "0 where the schedule names no fixed fee for it").
 * So `{}` means "no fixed fees at all", which the default cannot express.
 */
export interface FeeSchedule {
  fee_bps: number;
  fee_fixed: Record<string, number> | null;
}

/** The fixed fee of the default schedule in `currency`. */
export function defaultFixedFeeMinor(currency: string): number {
  return currencyExponent(currency) === 2 ? DEFAULT_FIXED_FEE_MINOR : 0;
}

/** The fixed fee the merchant pays in `currency` (intents applies the same rule to the header). */
export function fixedFeeFor(schedule: FeeSchedule, currency: string): number {
  const code = normalizeCurrency(currency);
  if (schedule.fee_fixed === null) return defaultFixedFeeMinor(code);
  return Object.hasOwn(schedule.fee_fixed, code) ? schedule.fee_fixed[code] : 0;
}

/** Upper-case codes in a stable order, so the stored map and the forwarded header read the same. */
export function normalizeFeeFixed(feeFixed: Record<string, number>): Record<string, number> {
  const entries = Object.entries(feeFixed).map(
    ([code, amount]) => [normalizeCurrency(code), amount] as const,
  );
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** A new merchant's schedule: what the operator gave, defaults for what it did not. */
export function scheduleFromRequest(request: {
  fee_bps?: number;
  fee_fixed?: Record<string, number>;
}): FeeSchedule {
  return {
    fee_bps: request.fee_bps ?? DEFAULT_FEE_BPS,
    fee_fixed: request.fee_fixed === undefined ? null : normalizeFeeFixed(request.fee_fixed),
  };
}

/**
 * The `x-merchant-fee-schedule` header (docs/internal-api.md): `{"fee_bps":290,"fee_fixed":{"USD":30}}`,
 * or `{"fee_bps":290}` without `fee_fixed` for the default fixed fees, which intents then applies.
 */
export function feeScheduleHeader(schedule: FeeSchedule): string {
  return JSON.stringify(
    schedule.fee_fixed === null
      ? { fee_bps: schedule.fee_bps }
      : { fee_bps: schedule.fee_bps, fee_fixed: normalizeFeeFixed(schedule.fee_fixed) },
  );
}
