import type { PriceInterval, PriceObject } from '@payflow/contracts';

/** A `prices` row as the service reads it. */
export interface PriceRow {
  id: string;
  merchant_id: string;
  currency: string;
  unit_amount: number;
  interval: PriceInterval;
  interval_count: number;
  nickname: string | null;
  active: boolean;
  created_at: Date;
}

export function readPriceRow(row: Record<string, unknown>): PriceRow {
  return {
    id: String(row['id']),
    merchant_id: String(row['merchant_id']),
    currency: String(row['currency']).trim(),
    // bigint arrives as a string; prices are at most 99,999,999 (the DTO), well inside 2^53.
    unit_amount: Number(row['unit_amount']),
    interval: row['interval'] as PriceInterval,
    interval_count: Number(row['interval_count']),
    nickname: (row['nickname'] as string | null) ?? null,
    active: Boolean(row['active']),
    created_at: new Date(row['created_at'] as Date | string),
  };
}

/** The public price (API.md "Price"). */
export function toPriceObject(row: PriceRow): PriceObject {
  return {
    id: row.id,
    object: 'price',
    currency: row.currency,
    unit_amount: row.unit_amount,
    recurring: { interval: row.interval, interval_count: row.interval_count },
    nickname: row.nickname,
    active: row.active,
    created: row.created_at.toISOString(),
  };
}
