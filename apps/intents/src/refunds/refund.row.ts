import type { Provider, RefundObject, RefundStatus } from '@payflow/contracts';

export interface RefundRow {
  id: string;
  payment_intent_id: string;
  merchant_id: string;
  amount: number;
  currency: string;
  status: RefundStatus;
  reason: string | null;
  provider: Provider;
  version: number;
  created_at: Date;
  updated_at: Date;
}

export function readRefundRow(raw: Record<string, unknown>): RefundRow {
  return {
    ...(raw as unknown as RefundRow),
    amount: Number(raw['amount']),
    currency: String(raw['currency']).trim(),
  };
}

/** The public refund of API.md, as responses and every `refund.*` event carry it. */
export function toRefundObject(row: RefundRow): RefundObject {
  return {
    id: row.id,
    object: 'refund',
    payment_intent: row.payment_intent_id,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    reason: row.reason,
    created: row.created_at.toISOString(),
  };
}

/** What refund events need: the public object and the refund's own aggregate version. */
export const refundSnapshot = (row: RefundRow) => ({ ...toRefundObject(row), version: row.version });
