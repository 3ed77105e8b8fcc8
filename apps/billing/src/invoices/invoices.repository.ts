import { Injectable } from '@nestjs/common';
import type { InvoiceStatus } from '@payflow/contracts';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { PageCursor, afterCursorSql, cursorParams } from '../http/list-object';
import type { GeneratedLine } from '../invoice-generation';
import {
  InvoiceLineRow,
  InvoiceRow,
  fromSeconds,
  readInvoiceLineRow,
  readInvoiceRow,
  toInvoicedLine,
} from './invoice.row';

export interface NewDraft {
  id: string;
  merchant_id: string;
  customer_id: string;
  subscription_id: string;
  invoice_key: string;
  test_clock_id: string | null;
  currency: string;
  period_start: Date;
  period_end: Date;
  created_at: Date;
  finalize_at: Date | null;
}

/** The columns a service may change on an invoice (the triggers still decide what a status allows). */
export type InvoiceChanges = Partial<
  Pick<
    InvoiceRow,
    | 'status'
    | 'number'
    | 'subtotal'
    | 'starting_balance'
    | 'total'
    | 'amount_due'
    | 'amount_paid'
    | 'attempt_count'
    | 'last_failed_attempt'
    | 'payment_intent_id'
    | 'payment_pending'
    | 'next_payment_attempt'
    | 'finalize_at'
    | 'finalized_at'
    | 'paid_at'
    | 'voided_at'
    | 'marked_uncollectible_at'
    | 'version'
  >
>;

export interface InvoiceFilters {
  customer?: string;
  subscription?: string;
  status?: InvoiceStatus;
}

/** The `invoices` and `invoice_lines` tables. */
@Injectable()
export class InvoicesRepository {
  async find(db: Queryable, id: string, lock: 'update' | null = null): Promise<InvoiceRow | null> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM invoices WHERE id = $1 ${lock === 'update' ? 'FOR UPDATE' : ''}`, [id]),
    );
    return rows[0] ? readInvoiceRow(rows[0]) : null;
  }

  /** The merchant's invoice, or null for an unknown one or another merchant's (both answer 404). */
  async findForMerchant(db: Queryable, merchantId: string, id: string): Promise<InvoiceRow | null> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM invoices WHERE id = $1 AND merchant_id = $2`, [id, merchantId]),
    );
    return rows[0] ? readInvoiceRow(rows[0]) : null;
  }

  async findByKey(db: Queryable, subscriptionId: string, invoiceKey: string, lock: 'update' | null = null): Promise<InvoiceRow | null> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT * FROM invoices WHERE subscription_id = $1 AND invoice_key = $2 ${lock === 'update' ? 'FOR UPDATE' : ''}`,
        [subscriptionId, invoiceKey],
      ),
    );
    return rows[0] ? readInvoiceRow(rows[0]) : null;
  }

  async insertDraft(tx: Queryable, draft: NewDraft): Promise<InvoiceRow> {
    const rows = rowsOf<Record<string, unknown>>(
      await tx.query(
        `INSERT INTO invoices (id, merchant_id, customer_id, subscription_id, invoice_key, test_clock_id, status, currency,
                               period_start, period_end, created_at, finalize_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, now())
         RETURNING *`,
        [
          draft.id,
          draft.merchant_id,
          draft.customer_id,
          draft.subscription_id,
          draft.invoice_key,
          draft.test_clock_id,
          draft.currency,
          draft.period_start,
          draft.period_end,
          draft.created_at,
          draft.finalize_at,
        ],
      ),
    );
    return readInvoiceRow(rows[0]);
  }

  async update(tx: Queryable, id: string, changes: InvoiceChanges): Promise<InvoiceRow> {
    const values: unknown[] = [id];
    const sets = Object.entries(changes).map(([column, value]) => {
      values.push(value);
      return `${column} = $${values.length}`;
    });
    const rows = rowsOf<Record<string, unknown>>(
      await tx.query(`UPDATE invoices SET updated_at = now(), ${sets.join(', ')} WHERE id = $1 RETURNING *`, values),
    );
    if (!rows[0]) throw new Error(`invoice ${id} vanished while it was being changed`);
    return readInvoiceRow(rows[0]);
  }

  /** A draft's totals from its lines (before finalization applies the balance). */
  async refreshDraftTotals(tx: Queryable, id: string): Promise<InvoiceRow> {
    const rows = rowsOf<Record<string, unknown>>(
      await tx.query(
        `UPDATE invoices i SET subtotal = s.sum, total = s.sum, amount_due = GREATEST(s.sum, 0), updated_at = now()
           FROM (SELECT COALESCE(SUM(amount), 0) AS sum FROM invoice_lines WHERE invoice_id = $1) s
          WHERE i.id = $1 AND i.status = 'draft'
          RETURNING i.*`,
        [id],
      ),
    );
    if (!rows[0]) throw new Error(`invoice ${id} is not a draft: its totals are final`);
    return readInvoiceRow(rows[0]);
  }

  async lines(db: Queryable, invoiceId: string): Promise<InvoiceLineRow[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM invoice_lines WHERE invoice_id = $1 ORDER BY position, id`, [invoiceId]),
    );
    return rows.map(readInvoiceLineRow);
  }

  /** The lines of several invoices at once (a list page), by invoice id. */
  async linesOf(db: Queryable, invoiceIds: readonly string[]): Promise<Map<string, InvoiceLineRow[]>> {
    const byInvoice = new Map<string, InvoiceLineRow[]>(invoiceIds.map((id) => [id, []]));
    if (invoiceIds.length === 0) return byInvoice;
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM invoice_lines WHERE invoice_id = ANY($1::text[]) ORDER BY invoice_id, position, id`, [
        invoiceIds,
      ]),
    );
    for (const row of rows.map(readInvoiceLineRow)) byInvoice.get(row.invoice_id)?.push(row);
    return byInvoice;
  }

  /**
   * Everything already invoiced for a subscription, as the generator's lines. Void invoices count:
   * voiding means "do not collect", not "bill again" (Stripe), and a line's id is a function of its
   * subscription, period, kind and stream version, so it could not be written a second time anyway.
   */
  async invoicedLines(db: Queryable, subscriptionId: string): Promise<GeneratedLine[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT l.*, i.invoice_key FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
          WHERE i.subscription_id = $1
          ORDER BY i.created_at, i.id, l.position, l.id`,
        [subscriptionId],
      ),
    );
    return rows.map((row) => toInvoicedLine(readInvoiceLineRow(row), String(row['invoice_key'])));
  }

  /** Appends generated lines to a draft, after its `existing` lines. */
  async insertLines(tx: Queryable, invoiceId: string, subscriptionId: string, lines: readonly GeneratedLine[], existing: number): Promise<void> {
    if (lines.length === 0) return;
    await tx.query(
      `INSERT INTO invoice_lines (id, invoice_id, subscription_id, type, kind, description, price_id, quantity, amount,
                                  period_start, period_end, stream_version, position)
       SELECT l.id, $1, $2, l.type, l.kind, l.description, l.price_id, l.quantity, l.amount, l.period_start, l.period_end,
              l.stream_version, l.position
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::bigint[],
                     $10::timestamptz[], $11::timestamptz[], $12::int[], $13::int[])
           AS l(id, type, kind, description, price_id, quantity, amount, period_start, period_end, stream_version, position)`,
      [
        invoiceId,
        subscriptionId,
        lines.map((l) => l.id),
        lines.map((l) => l.type),
        lines.map((l) => l.kind),
        lines.map((l) => l.description),
        lines.map((l) => l.price),
        lines.map((l) => l.quantity),
        lines.map((l) => String(l.amount)),
        lines.map((l) => fromSeconds(l.period.start)),
        lines.map((l) => fromSeconds(l.period.end)),
        lines.map((l) => l.stream_version),
        lines.map((_, i) => existing + i),
      ],
    );
  }

  async countLines(db: Queryable, invoiceId: string): Promise<number> {
    const [row] = rowsOf<{ n: string }>(await db.query(`SELECT count(*) AS n FROM invoice_lines WHERE invoice_id = $1`, [invoiceId]));
    return Number(row?.n ?? 0);
  }

  /** A subscription's drafts (oldest first), locked: they are about to be finalized or extended. */
  async draftsOf(tx: Queryable, subscriptionId: string): Promise<InvoiceRow[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await tx.query(
        `SELECT * FROM invoices WHERE subscription_id = $1 AND status = 'draft' ORDER BY period_start, id FOR UPDATE`,
        [subscriptionId],
      ),
    );
    return rows.map(readInvoiceRow);
  }

  /** Whether another invoice of the subscription is open with a failed attempt (it keeps it past_due). */
  async hasOtherFailedOpen(db: Queryable, subscriptionId: string, exceptId: string): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await db.query(
        `SELECT 1 FROM invoices WHERE subscription_id = $1 AND id <> $2 AND status = 'open' AND last_failed_attempt > 0 LIMIT 1`,
        [subscriptionId, exceptId],
      ),
    );
    return rows.length > 0;
  }

  /** Newest first by (created_at, id); `limit + 1` rows, the extra one says there is more. */
  async list(db: Queryable, merchantId: string, filters: InvoiceFilters, limit: number, cursor: PageCursor | null): Promise<InvoiceRow[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT * FROM invoices
          WHERE merchant_id = $1 AND ${afterCursorSql(2)}
            AND ($4::text IS NULL OR customer_id = $4)
            AND ($5::text IS NULL OR subscription_id = $5)
            AND ($6::text IS NULL OR status = $6)
          ORDER BY created_at DESC, id DESC
          LIMIT $7`,
        [
          merchantId,
          ...cursorParams(cursor),
          filters.customer ?? null,
          filters.subscription ?? null,
          filters.status ?? null,
          limit + 1,
        ],
      ),
    );
    return rows.map(readInvoiceRow);
  }
}
