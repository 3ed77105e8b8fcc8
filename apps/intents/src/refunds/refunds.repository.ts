import { Injectable } from '@nestjs/common';
import type { RefundStatus } from '@payflow/contracts';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { RefundRow, readRefundRow } from './refund.row';

/** Most refunds one list answer carries; an intent rarely has more, and `has_more` says so. */
export const REFUND_LIST_LIMIT = 100;

@Injectable()
export class RefundsRepository {
  async insert(tx: Queryable, row: RefundRow): Promise<RefundRow> {
    const [created] = await tx.query(
      `INSERT INTO refunds (id, payment_intent_id, merchant_id, amount, currency, status, reason, provider, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING *`,
      [
        row.id,
        row.payment_intent_id,
        row.merchant_id,
        row.amount,
        row.currency,
        row.status,
        row.reason,
        row.provider,
        row.version,
        row.created_at,
      ],
    );
    return readRefundRow(created);
  }

  /** Locks a refund of an intent whose row lock the caller already holds (lock order: intent, refund). */
  async lock(tx: Queryable, refundId: string, intentId: string): Promise<RefundRow | null> {
    const [row] = await tx.query(
      `SELECT * FROM refunds WHERE id = $1 AND payment_intent_id = $2 FOR UPDATE`,
      [refundId, intentId],
    );
    return row ? readRefundRow(row) : null;
  }

  async settle(tx: Queryable, refund: RefundRow, status: RefundStatus, now: Date): Promise<RefundRow> {
    const result = await tx.query(
      `UPDATE refunds SET status = $3, version = version + 1, updated_at = $4 WHERE id = $1 AND version = $2 RETURNING *`,
      [refund.id, refund.version, status, now],
    );
    const [row] = rowsOf<Record<string, unknown>>(result);
    if (!row) throw new Error(`refund ${refund.id} changed concurrently`);
    return readRefundRow(row);
  }

  async succeededTotal(tx: Queryable, intentId: string): Promise<number> {
    const [{ total }] = await tx.query(
      `SELECT coalesce(sum(amount), 0)::bigint AS total FROM refunds WHERE payment_intent_id = $1 AND status = 'succeeded'`,
      [intentId],
    );
    return Number(total);
  }

  async listForIntent(db: Queryable, intentId: string): Promise<{ rows: RefundRow[]; hasMore: boolean }> {
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT * FROM refunds WHERE payment_intent_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2`,
      [intentId, REFUND_LIST_LIMIT + 1],
    );
    return {
      rows: rows.slice(0, REFUND_LIST_LIMIT).map(readRefundRow),
      hasMore: rows.length > REFUND_LIST_LIMIT,
    };
  }
}
