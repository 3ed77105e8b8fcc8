import { Injectable } from '@nestjs/common';
import type { SubscriptionObject, SubscriptionStatus } from '@payflow/contracts';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { PageCursor, afterCursorSql, cursorParams } from '../http/list-object';

/** A read model row (`subscriptions`) as the API reads it. */
export interface SubscriptionRow {
  id: string;
  merchant_id: string;
  customer_id: string;
  test_clock_id: string | null;
  status: SubscriptionStatus;
  version: number;
  object: SubscriptionObject;
  created_at: Date;
}

function readRow(row: Record<string, unknown>): SubscriptionRow {
  return {
    id: String(row['id']),
    merchant_id: String(row['merchant_id']),
    customer_id: String(row['customer_id']),
    test_clock_id: (row['test_clock_id'] as string | null) ?? null,
    status: row['status'] as SubscriptionStatus,
    version: Number(row['version']),
    object: row['object'] as SubscriptionObject,
    created_at: new Date(row['created_at'] as Date | string),
  };
}

/** Reads of the read model; it is written only by SubscriptionStreams. */
@Injectable()
export class SubscriptionsRepository {
  /** The merchant's subscription, or null for an unknown one or another merchant's (both 404). */
  async find(db: Queryable, merchantId: string, id: string): Promise<SubscriptionRow | null> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM subscriptions WHERE id = $1 AND merchant_id = $2`, [id, merchantId]),
    );
    return rows[0] ? readRow(rows[0]) : null;
  }

  /** Newest first by (created_at, id), optionally one customer's or one status; `limit + 1` rows. */
  async list(
    db: Queryable,
    merchantId: string,
    options: { limit: number; customer?: string; status?: SubscriptionStatus; cursor: PageCursor | null },
  ): Promise<SubscriptionRow[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT * FROM subscriptions
          WHERE merchant_id = $1
            AND ($2::text IS NULL OR customer_id = $2)
            AND ($3::text IS NULL OR status = $3)
            AND ${afterCursorSql(4)}
          ORDER BY created_at DESC, id DESC
          LIMIT $6`,
        [merchantId, options.customer ?? null, options.status ?? null, ...cursorParams(options.cursor), options.limit + 1],
      ),
    );
    return rows.map(readRow);
  }
}
