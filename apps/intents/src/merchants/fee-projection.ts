import { MAX_AMOUNT_MINOR, isCurrencyCode, type MerchantEventData } from '@payflow/contracts';

/** One version of a merchant's schedule as the projection stores it (currency codes upper case). */
export interface ScheduleVersion {
  merchant_id: string;
  name: string;
  fee_bps: number;
  /** Per currency; a currency absent here has no fixed fee (the event's contract). */
  fee_fixed: Record<string, number>;
  version: number;
}

/**
 * The projection's row for a `merchant.*` event's data. Pure. The contract checks only that
 * `fee_fixed` is an object: an entry that is not a currency with an integer fee is the gateway's bug,
 * thrown (the transport retries, then dead-letters it) rather than charged.
 */
export function scheduleVersionOf(data: MerchantEventData): ScheduleVersion {
  const fee_fixed: Record<string, number> = {};
  for (const [currency, amount] of Object.entries(data.fee_fixed)) {
    if (!isCurrencyCode(currency) || !Number.isInteger(amount) || amount < 0 || amount > MAX_AMOUNT_MINOR) {
      throw new Error(
        `merchant ${data.id} version ${data.version}: fee_fixed.${currency} is not a fee (${amount})`,
      );
    }
    fee_fixed[currency.toUpperCase()] = amount;
  }
  return { merchant_id: data.id, name: data.name, fee_bps: data.fee_bps, fee_fixed, version: data.version };
}

/**
 * Whether an event's version replaces what the projection holds: only a newer one does, so a
 * redelivered or overtaken event (Kafka keeps order per merchant, a replay or a republish may not)
 * never brings an old schedule back. Pure.
 */
export function replacesSchedule(stored: number | null, incoming: number): boolean {
  return stored === null || incoming > stored;
}
