import { Injectable } from '@nestjs/common';
import type { PaymentIntentStatus } from '@payflow/contracts';
import { IntentChanges, JSON_COLUMNS, PaymentIntentRow, readIntentRow } from './payment-intent.row';
import { Queryable, rowsOf } from '@payflow/platform/database';

export interface IntentListPage {
  rows: PaymentIntentRow[];
  hasMore: boolean;
}

/** SQL of the `payment_intents` table. Every read is scoped by merchant except the consumer's. */
@Injectable()
export class PaymentIntentsRepository {
  async insert(db: Queryable, row: PaymentIntentRow): Promise<PaymentIntentRow> {
    const [created] = await db.query(
      `INSERT INTO payment_intents (id, merchant_id, amount, currency, status, capture_method, payment_method,
                                    description, metadata, invoice, version, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $12, $10, $11, $11)
       RETURNING *`,
      [
        row.id,
        row.merchant_id,
        row.amount,
        row.currency,
        row.status,
        row.capture_method,
        row.payment_method,
        row.description,
        JSON.stringify(row.metadata),
        row.version,
        row.created_at,
        row.invoice,
      ],
    );
    return readIntentRow(created);
  }

  async findForMerchant(db: Queryable, id: string, merchantId: string): Promise<PaymentIntentRow | null> {
    const [row] = await db.query(`SELECT * FROM payment_intents WHERE id = $1 AND merchant_id = $2`, [
      id,
      merchantId,
    ]);
    return row ? readIntentRow(row) : null;
  }

  async findById(db: Queryable, id: string): Promise<PaymentIntentRow | null> {
    const [row] = await db.query(`SELECT * FROM payment_intents WHERE id = $1`, [id]);
    return row ? readIntentRow(row) : null;
  }

  /** Takes the intent's row lock for the rest of the transaction: writes to one intent are serial. */
  async lockForMerchant(tx: Queryable, id: string, merchantId: string): Promise<PaymentIntentRow | null> {
    const [row] = await tx.query(
      `SELECT * FROM payment_intents WHERE id = $1 AND merchant_id = $2 FOR UPDATE`,
      [id, merchantId],
    );
    return row ? readIntentRow(row) : null;
  }

  /** The intent paying an invoice (one per invoice), under its row lock. */
  async lockByInvoice(tx: Queryable, invoiceId: string): Promise<PaymentIntentRow | null> {
    const [row] = await tx.query(`SELECT * FROM payment_intents WHERE invoice = $1 FOR UPDATE`, [invoiceId]);
    return row ? readIntentRow(row) : null;
  }

  async lockById(tx: Queryable, id: string): Promise<PaymentIntentRow | null> {
    const [row] = await tx.query(`SELECT * FROM payment_intents WHERE id = $1 FOR UPDATE`, [id]);
    return row ? readIntentRow(row) : null;
  }

  /**
   * Writes a transition: the new status and changed columns, `version + 1`, only if the row is
   * still at the version read. Under the row lock this always matches; the check is what makes a
   * caller that forgot the lock fail instead of overwriting a concurrent change. Null if it lost.
   */
  async update(
    tx: Queryable,
    before: PaymentIntentRow,
    status: PaymentIntentStatus,
    changes: IntentChanges,
    now: Date,
  ): Promise<PaymentIntentRow | null> {
    const columns = (Object.keys(changes) as (keyof IntentChanges)[]).filter(
      (column) => changes[column] !== undefined,
    );
    const values: unknown[] = [before.id, before.version, status, now];
    const sets = columns.map((column) => {
      const value = changes[column];
      values.push(JSON_COLUMNS.has(column) && value !== null ? JSON.stringify(value) : value);
      return `${column} = $${values.length}${JSON_COLUMNS.has(column) ? '::jsonb' : ''}`;
    });
    const result = await tx.query(
      `UPDATE payment_intents SET status = $3, updated_at = $4, version = version + 1${sets.map((s) => `, ${s}`).join('')}
        WHERE id = $1 AND version = $2
       RETURNING *`,
      values,
    );
    const [row] = rowsOf<Record<string, unknown>>(result);
    return row ? readIntentRow(row) : null;
  }

  /** Newest first by (created_at, id); the cursor is an intent of the same merchant. */
  async list(
    db: Queryable,
    merchantId: string,
    options: { limit: number; status?: PaymentIntentStatus; startingAfter?: PaymentIntentRow },
  ): Promise<IntentListPage> {
    const cursor = options.startingAfter;
    const rows: Record<string, unknown>[] = await db.query(
      `SELECT * FROM payment_intents
        WHERE merchant_id = $1
          AND ($2::text IS NULL OR status = $2)
          AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::text))
        ORDER BY created_at DESC, id DESC
        LIMIT $5`,
      [merchantId, options.status ?? null, cursor?.created_at ?? null, cursor?.id ?? null, options.limit + 1],
    );
    return { rows: rows.slice(0, options.limit).map(readIntentRow), hasMore: rows.length > options.limit };
  }
}
