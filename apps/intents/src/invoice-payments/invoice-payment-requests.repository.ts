import { Injectable } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { Queryable } from '@payflow/platform/database';

export type PaymentRequestedEvent = EventOf<'invoice.payment_requested'>;
export type RequestStatus = 'received' | 'waiting_merchant' | 'applied' | 'rejected';

/** One `invoice_payment_requests` row: a command, by (invoice, attempt), and what became of it. */
export interface InvoicePaymentRequestRow {
  invoice_id: string;
  attempt: number;
  merchant_id: string;
  status: RequestStatus;
  payment_intent_id: string | null;
  reason: string | null;
  event_id: string;
  /** The whole command, so a parked one is applied later exactly as it came. */
  command: PaymentRequestedEvent;
}

/** SQL of `invoice_payment_requests`: idempotency of the commands on (invoice, attempt). */
@Injectable()
export class InvoicePaymentRequestsRepository {
  /** Records a command; null when (invoice, attempt) was already received (a redelivery, a republish). */
  async insert(
    tx: Queryable,
    event: PaymentRequestedEvent,
    now: Date,
  ): Promise<InvoicePaymentRequestRow | null> {
    const [row] = await tx.query(
      `INSERT INTO invoice_payment_requests (invoice_id, attempt, merchant_id, status, event_id, command, received_at)
       VALUES ($1, $2, $3, 'received', $4, $5::jsonb, $6)
       ON CONFLICT (invoice_id, attempt) DO NOTHING
       RETURNING *`,
      [event.data.invoice.id, event.data.attempt, event.merchant_id, event.id, JSON.stringify(event), now],
    );
    return row ? readRow(row) : null;
  }

  async find(db: Queryable, invoiceId: string, attempt: number): Promise<InvoicePaymentRequestRow | null> {
    const [row] = await db.query(
      `SELECT * FROM invoice_payment_requests WHERE invoice_id = $1 AND attempt = $2`,
      [invoiceId, attempt],
    );
    return row ? readRow(row) : null;
  }

  /** The highest other attempt of the invoice already decided (applied or rejected); 0 if none. */
  async lastDecidedAttempt(tx: Queryable, invoiceId: string, attempt: number): Promise<number> {
    const [row] = await tx.query(
      `SELECT coalesce(max(attempt), 0)::int AS last FROM invoice_payment_requests
        WHERE invoice_id = $1 AND attempt <> $2 AND status IN ('applied', 'rejected')`,
      [invoiceId, attempt],
    );
    return Number(row.last);
  }

  /** A merchant's parked commands, in the order they came (so an invoice's attempts stay in order). */
  async waitingFor(tx: Queryable, merchantId: string): Promise<InvoicePaymentRequestRow[]> {
    const rows: Record<string, unknown>[] = await tx.query(
      `SELECT * FROM invoice_payment_requests
        WHERE merchant_id = $1 AND status = 'waiting_merchant'
        ORDER BY received_at, invoice_id, attempt
        FOR UPDATE`,
      [merchantId],
    );
    return rows.map(readRow);
  }

  async decide(
    tx: Queryable,
    row: Pick<InvoicePaymentRequestRow, 'invoice_id' | 'attempt'>,
    outcome: { status: RequestStatus; paymentIntentId: string | null; reason: string | null },
    now: Date,
  ): Promise<void> {
    await tx.query(
      `UPDATE invoice_payment_requests
          SET status = $3, payment_intent_id = $4, reason = $5,
              decided_at = CASE WHEN $3 IN ('applied', 'rejected') THEN $6::timestamptz ELSE decided_at END
        WHERE invoice_id = $1 AND attempt = $2`,
      [row.invoice_id, row.attempt, outcome.status, outcome.paymentIntentId, outcome.reason, now],
    );
  }
}

function readRow(raw: Record<string, unknown>): InvoicePaymentRequestRow {
  return { ...(raw as unknown as InvoicePaymentRequestRow), attempt: Number(raw['attempt']) };
}
