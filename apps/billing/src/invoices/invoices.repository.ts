import { Injectable } from '@nestjs/common';
import type { InvoiceBillingReason, InvoiceStatus } from '@payflow/contracts';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { PageCursor, afterCursorSql, cursorParams } from '../http/list-object';
import type { GenerateOptions, GeneratedLine, InvoiceTotal } from '../invoice-generation';
import {
  InvoiceLineRow,
  InvoiceRow,
  fromSeconds,
  readInvoiceLineRow,
  readInvoiceRow,
  toInvoicedLine,
} from './invoice.row';

/** What a subscription has been invoiced, as the generator reads it (`GenerateOptions`). */
export interface InvoicedHistory {
  /** Lines of the invoices that are not void. */
  invoiced: GeneratedLine[];
  /** Lines of void invoices. */
  voided: GeneratedLine[];
  /** Stored totals of the invoices that are not void. */
  totals: InvoiceTotal[];
}

/** The generator's options from what is stored: void invoices' lines, and totals to check. */
export function generateOptionsOf(history: InvoicedHistory): GenerateOptions {
  return { voided: history.voided, invoiceTotals: history.totals };
}

export interface NewDraft {
  id: string;
  merchant_id: string;
  customer_id: string;
  subscription_id: string;
  invoice_key: string;
  billing_reason: InvoiceBillingReason;
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

  /** Several invoices by id, in id order (the lock order of batches), locked FOR UPDATE when asked. */
  async findMany(db: Queryable, ids: readonly string[], lock: 'update' | null = null): Promise<InvoiceRow[]> {
    if (ids.length === 0) return [];
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT * FROM invoices WHERE id = ANY($1::text[]) ORDER BY id ${lock === 'update' ? 'FOR UPDATE' : ''}`,
        [ids],
      ),
    );
    return rows.map(readInvoiceRow);
  }

  /** Invoices by (subscription, invoice key), locked FOR UPDATE in id order; keyed `subscription|key`. */
  async findByKeysForUpdate(
    db: Queryable,
    keys: readonly { subscription_id: string; invoice_key: string }[],
  ): Promise<Map<string, InvoiceRow>> {
    const found = new Map<string, InvoiceRow>();
    if (keys.length === 0) return found;
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT i.* FROM invoices i JOIN unnest($1::text[], $2::text[]) AS k(subscription_id, invoice_key)
             ON i.subscription_id = k.subscription_id AND i.invoice_key = k.invoice_key
          ORDER BY i.id FOR UPDATE OF i`,
        [keys.map((k) => k.subscription_id), keys.map((k) => k.invoice_key)],
      ),
    );
    for (const row of rows.map(readInvoiceRow)) found.set(`${row.subscription_id}|${row.invoice_key}`, row);
    return found;
  }

  /** Drafts inserted in one statement (`insertDraft` for several). */
  async insertDrafts(tx: Queryable, drafts: readonly NewDraft[]): Promise<InvoiceRow[]> {
    if (drafts.length === 0) return [];
    const rows = rowsOf<Record<string, unknown>>(
      await tx.query(
        `INSERT INTO invoices (id, merchant_id, customer_id, subscription_id, invoice_key, test_clock_id, status, currency,
                               period_start, period_end, created_at, finalize_at, billing_reason, updated_at)
         SELECT d.id, d.merchant_id, d.customer_id, d.subscription_id, d.invoice_key, d.test_clock_id, 'draft', d.currency,
                d.period_start, d.period_end, d.created_at, d.finalize_at, d.billing_reason, now()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                       $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::text[])
             AS d(id, merchant_id, customer_id, subscription_id, invoice_key, test_clock_id, currency,
                  period_start, period_end, created_at, finalize_at, billing_reason)
         RETURNING *`,
        [
          drafts.map((d) => d.id),
          drafts.map((d) => d.merchant_id),
          drafts.map((d) => d.customer_id),
          drafts.map((d) => d.subscription_id),
          drafts.map((d) => d.invoice_key),
          drafts.map((d) => d.test_clock_id),
          drafts.map((d) => d.currency),
          drafts.map((d) => d.period_start),
          drafts.map((d) => d.period_end),
          drafts.map((d) => d.created_at),
          drafts.map((d) => d.finalize_at),
          drafts.map((d) => d.billing_reason),
        ],
      ),
    );
    return rows.map(readInvoiceRow);
  }

  /**
   * Drafts set open with their number, totals and first payment attempt in flight, in one
   * statement: the row finalization and `PaymentAttempts.request` leave, for a batch. Only drafts
   * change (a row that is not one makes the whole statement fail: the caller holds their locks).
   */
  async openWithAttemptMany(tx: Queryable, rows: readonly InvoiceRow[]): Promise<void> {
    if (rows.length === 0) return;
    const updated = rowsOf<{ id: string }>(
      await tx.query(
        `UPDATE invoices i
            SET status = 'open', number = u.number, subtotal = u.subtotal, starting_balance = u.starting_balance,
                total = u.total, amount_due = u.amount_due, finalized_at = u.finalized_at, finalize_at = NULL,
                paid_at = NULL, attempt_count = u.attempt_count, payment_pending = true, version = u.version,
                updated_at = now()
           FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[],
                       $7::timestamptz[], $8::int[], $9::int[])
             AS u(id, number, subtotal, starting_balance, total, amount_due, finalized_at, attempt_count, version)
          WHERE i.id = u.id AND i.status = 'draft'
          RETURNING i.id`,
        [
          rows.map((r) => r.id),
          rows.map((r) => r.number),
          rows.map((r) => String(r.subtotal)),
          rows.map((r) => String(r.starting_balance)),
          rows.map((r) => String(r.total)),
          rows.map((r) => String(r.amount_due)),
          rows.map((r) => r.finalized_at),
          rows.map((r) => r.attempt_count),
          rows.map((r) => r.version),
        ],
      ),
    );
    if (updated.length !== rows.length)
      throw new Error(`${rows.length - updated.length} invoices were not drafts any more`);
  }

  /** `refreshDraftTotals` for several drafts in one statement; every one must still be a draft. */
  async refreshDraftTotalsMany(tx: Queryable, ids: readonly string[]): Promise<InvoiceRow[]> {
    if (ids.length === 0) return [];
    const rows = rowsOf<Record<string, unknown>>(
      await tx.query(
        `UPDATE invoices i SET subtotal = s.sum, total = s.sum, amount_due = GREATEST(s.sum, 0), updated_at = now()
           FROM (SELECT u.id, (SELECT COALESCE(SUM(l.amount), 0) FROM invoice_lines l WHERE l.invoice_id = u.id) AS sum
                   FROM unnest($1::text[]) AS u(id)) s
          WHERE i.id = s.id AND i.status = 'draft'
          RETURNING i.*`,
        [ids],
      ),
    );
    if (rows.length !== ids.length)
      throw new Error(`${ids.length - rows.length} invoices are not drafts: their totals are final`);
    return rows.map(readInvoiceRow);
  }

  /** The merchant's invoice, or null for an unknown one or another merchant's (both answer 404). */
  async findForMerchant(db: Queryable, merchantId: string, id: string): Promise<InvoiceRow | null> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM invoices WHERE id = $1 AND merchant_id = $2`, [id, merchantId]),
    );
    return rows[0] ? readInvoiceRow(rows[0]) : null;
  }

  async findByKey(
    db: Queryable,
    subscriptionId: string,
    invoiceKey: string,
    lock: 'update' | null = null,
  ): Promise<InvoiceRow | null> {
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
                               period_start, period_end, created_at, finalize_at, billing_reason, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'draft', $7, $8, $9, $10, $11, $12, now())
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
          draft.billing_reason,
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
      await tx.query(
        `UPDATE invoices SET updated_at = now(), ${sets.join(', ')} WHERE id = $1 RETURNING *`,
        values,
      ),
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
      await db.query(
        `SELECT * FROM invoice_lines WHERE invoice_id = ANY($1::text[]) ORDER BY invoice_id, position, id`,
        [invoiceIds],
      ),
    );
    for (const row of rows.map(readInvoiceLineRow)) byInvoice.get(row.invoice_id)?.push(row);
    return byInvoice;
  }

  /** `invoicedHistoryOf` for one subscription. */
  async invoicedHistory(db: Queryable, subscriptionId: string): Promise<InvoicedHistory> {
    return (await this.invoicedHistoryOf(db, [subscriptionId])).get(subscriptionId)!;
  }

  /**
   * What the generator diffs against, for several subscriptions in one statement: the lines of
   * their invoices that are not void, the lines of void ones (settled: neither owed nor billed
   * again, nor credited), and the stored totals of the invoices that are not void, which the
   * generator checks against their lines. Lines in invoice order (created, id, position).
   */
  async invoicedHistoryOf(
    db: Queryable,
    subscriptionIds: readonly string[],
  ): Promise<Map<string, InvoicedHistory>> {
    const bySubscription = new Map<string, InvoicedHistory>(
      subscriptionIds.map((id) => [id, { invoiced: [], voided: [], totals: [] }]),
    );
    if (subscriptionIds.length === 0) return bySubscription;
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT l.*, i.invoice_key, i.subscription_id AS invoice_subscription_id,
                i.status AS invoice_status, i.total AS invoice_total
           FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
          WHERE i.subscription_id = ANY($1::text[])
          ORDER BY i.subscription_id, i.created_at, i.id, l.position, l.id`,
        [subscriptionIds],
      ),
    );
    const totalled = new Set<string>();
    for (const row of rows) {
      const history = bySubscription.get(String(row['invoice_subscription_id']));
      if (!history) continue;
      const key = String(row['invoice_key']);
      const line = toInvoicedLine(readInvoiceLineRow(row), key);
      if (row['invoice_status'] === 'void') {
        history.voided.push(line);
        continue;
      }
      history.invoiced.push(line);
      const totalKey = `${row['invoice_subscription_id']}|${key}`;
      if (!totalled.has(totalKey)) {
        totalled.add(totalKey);
        history.totals.push({ invoice_key: key, total: Number(row['invoice_total']) });
      }
    }
    return bySubscription;
  }

  /**
   * Lines for several drafts in one statement: `lines` (generated) go to invoice `invoice_id` of
   * subscription `subscription_id`, after its `existing` lines (`insertLines` for several).
   */
  async insertLinesMany(
    tx: Queryable,
    batches: readonly {
      invoice_id: string;
      subscription_id: string;
      lines: readonly GeneratedLine[];
      existing: number;
    }[],
  ): Promise<void> {
    const flat = batches.flatMap((b) => b.lines.map((line, i) => ({ b, line, position: b.existing + i })));
    if (flat.length === 0) return;
    await tx.query(
      `INSERT INTO invoice_lines (id, invoice_id, subscription_id, type, kind, description, price_id, quantity, amount,
                                  period_start, period_end, stream_version, position)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[],
                            $9::bigint[], $10::timestamptz[], $11::timestamptz[], $12::int[], $13::int[])`,
      [
        flat.map((f) => f.line.id),
        flat.map((f) => f.b.invoice_id),
        flat.map((f) => f.b.subscription_id),
        flat.map((f) => f.line.type),
        flat.map((f) => f.line.kind),
        flat.map((f) => f.line.description),
        flat.map((f) => f.line.price),
        flat.map((f) => f.line.quantity),
        flat.map((f) => String(f.line.amount)),
        flat.map((f) => fromSeconds(f.line.period.start)),
        flat.map((f) => fromSeconds(f.line.period.end)),
        flat.map((f) => f.line.stream_version),
        flat.map((f) => f.position),
      ],
    );
  }

  /** Line counts of several invoices (0 for one without lines). */
  async countLinesMany(db: Queryable, invoiceIds: readonly string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>(invoiceIds.map((id) => [id, 0]));
    if (invoiceIds.length === 0) return counts;
    const rows = rowsOf<{ invoice_id: string; n: string }>(
      await db.query(
        `SELECT invoice_id, count(*) AS n FROM invoice_lines WHERE invoice_id = ANY($1::text[]) GROUP BY invoice_id`,
        [invoiceIds],
      ),
    );
    for (const row of rows) counts.set(row.invoice_id, Number(row.n));
    return counts;
  }

  /**
   * `SubscriptionStreams.refreshLatestInvoice` for several subscriptions in one statement (same
   * newest-invoice order, same `updated_at` rule): keep the two alike.
   */
  async refreshLatestInvoices(tx: Queryable, subscriptionIds: readonly string[], now: Date): Promise<void> {
    if (subscriptionIds.length === 0) return;
    await tx.query(
      `UPDATE subscriptions s
          SET object = jsonb_set(s.object, '{latest_invoice}', COALESCE(to_jsonb(l.latest), 'null'::jsonb)),
              updated_at = CASE WHEN s.object->>'latest_invoice' IS DISTINCT FROM l.latest THEN $2 ELSE s.updated_at END
         FROM (SELECT u.id,
                      (SELECT i.id FROM invoices i WHERE i.subscription_id = u.id
                        ORDER BY i.created_at DESC, i.period_start DESC, i.id DESC LIMIT 1) AS latest
                 FROM unnest($1::text[]) AS u(id)) l
        WHERE s.id = l.id`,
      [subscriptionIds, now],
    );
  }

  /** Appends generated lines to a draft, after its `existing` lines. */
  async insertLines(
    tx: Queryable,
    invoiceId: string,
    subscriptionId: string,
    lines: readonly GeneratedLine[],
    existing: number,
  ): Promise<void> {
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
    const [row] = rowsOf<{ n: string }>(
      await db.query(`SELECT count(*) AS n FROM invoice_lines WHERE invoice_id = $1`, [invoiceId]),
    );
    return Number(row?.n ?? 0);
  }

  /** A subscription's invoices in one status (oldest period first), locked: they are about to change. */
  async ofStatusLocked(tx: Queryable, subscriptionId: string, status: InvoiceStatus): Promise<InvoiceRow[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await tx.query(
        `SELECT * FROM invoices WHERE subscription_id = $1 AND status = $2 ORDER BY period_start, id FOR UPDATE`,
        [subscriptionId, status],
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
  async list(
    db: Queryable,
    merchantId: string,
    filters: InvoiceFilters,
    limit: number,
    cursor: PageCursor | null,
  ): Promise<InvoiceRow[]> {
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
