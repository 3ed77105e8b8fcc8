import type { FeeSchedule } from './fee-schedule';

/** A merchant as the gateway knows it: who it is and what it pays. */
export interface Merchant extends FeeSchedule {
  id: string;
  name: string;
  created: Date;
}

/** A merchant with its event versions (merchant.created / merchant.updated). */
export interface VersionedMerchant extends Merchant {
  /** 1 at creation, +1 per change. */
  version: number;
  /** The last version written to the outbox; behind `version` only for merchants older than the events. */
  announced_version: number;
}

/** The public merchant object (admin API). */
export interface MerchantObject {
  id: string;
  object: 'merchant';
  name: string;
  fee_bps: number;
  /** null: the platform default (30 minor units in exponent-2 currencies, 0 in others). */
  fee_fixed: Record<string, number> | null;
  created: string;
}

export function toMerchantObject(merchant: Merchant): MerchantObject {
  return {
    id: merchant.id,
    object: 'merchant',
    name: merchant.name,
    fee_bps: merchant.fee_bps,
    fee_fixed: merchant.fee_fixed,
    created: merchant.created.toISOString(),
  };
}
