import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListInvoicesQuery } from '@payflow/api';
import type { InvoiceObject } from '@payflow/contracts';
import { Queryable, Tx } from '@payflow/platform/database';
import { ApiAnswer, ApiError } from '@payflow/platform/http';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import { ListObject, listOf, unknownCursor } from '../http/list-object';
import { assertIdOf } from '../http/public-ids';
import type { RequestMeta } from '../http/request-meta';
import { CustomerTime } from '../test-clocks/customer-time';
import { Cause } from './invoice-events';
import { invoiceActionsTotal } from './invoice-metrics';
import { InvoiceRow, toInvoiceObject } from './invoice.row';
import { InvoiceVoids } from './invoice-voids';
import { InvoiceWriter } from './invoice-writer';
import { InvoicesRepository } from './invoices.repository';
import { PaymentAttempts } from './payment-attempts';

const conflict = (code: string, message: string) =>
  new ApiError(HttpStatus.CONFLICT, 'invalid_request_error', code, message);

/**
 * The invoices API (API.md "Invoice"): list and get, and the three actions Stripe has —
 * `pay` (request the next attempt now), `void` and `mark_uncollectible` — each in one idempotent
 * transaction that locks the subscription and then the invoice, like every other writer.
 */
@Injectable()
export class InvoicesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly invoices: InvoicesRepository,
    private readonly idempotent: IdempotentTransaction,
    private readonly writer: InvoiceWriter,
    private readonly attempts: PaymentAttempts,
    private readonly voids: InvoiceVoids,
    private readonly customerTime: CustomerTime,
  ) {}

  async get(merchantId: string, id: string): Promise<InvoiceObject> {
    assertIdOf('invoice', id);
    const row = await this.invoices.findForMerchant(this.dataSource, merchantId, id);
    if (!row) throw ApiError.missing('invoice', id);
    return this.objectOf(this.dataSource, row);
  }

  async list(merchantId: string, query: ListInvoicesQuery): Promise<ListObject<InvoiceObject>> {
    let cursor: InvoiceRow | null = null;
    if (query.starting_after) {
      cursor = await this.invoices.findForMerchant(this.dataSource, merchantId, query.starting_after);
      if (!cursor) throw unknownCursor('invoice', query.starting_after);
    }
    const rows = await this.invoices.list(
      this.dataSource,
      merchantId,
      { customer: query.customer, subscription: query.subscription, status: query.status },
      query.limit,
      cursor,
    );
    const lines = await this.invoices.linesOf(this.dataSource, rows.slice(0, query.limit).map((row) => row.id));
    return listOf(rows, query.limit, '/v1/invoices', (row) => toInvoiceObject(row, lines.get(row.id) ?? []));
  }

  /**
   * `POST /v1/invoices/{id}/pay`: try now. Only an open invoice with no attempt in flight (`409`
   * while one is: its answer decides), on a card the customer has and dunning did not mark
   * unusable (`400`, nothing written); the next attempt is requested as dunning's retries are.
   */
  pay(meta: RequestMeta, id: string): Promise<ApiAnswer<InvoiceObject>> {
    return this.act(meta, id, 'pay', async (tx, invoice, now, cause) => {
      this.assertOpen(invoice, 'paid');
      if (invoice.payment_pending) {
        throw conflict('invoice_payment_in_flight', 'A payment of this invoice is in progress; wait for its result');
      }
      const card = await this.attempts.chargeableMethodOf(tx, invoice.customer_id);
      if (!card.payment_method) {
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'invalid_request_error',
          'payment_method_missing',
          "This invoice's customer has no payment method: give the customer one first",
        );
      }
      if (card.unusable) {
        // A hard decline (lost, stolen, closed…): trying it again only costs network fees.
        throw new ApiError(
          HttpStatus.BAD_REQUEST,
          'invalid_request_error',
          'payment_method_unusable',
          `The customer's payment method '${card.payment_method}' was declined for good: give the customer another one first`,
        );
      }
      return this.attempts.request(tx, invoice, invoice.attempt_count + 1, now, cause);
    });
  }

  /**
   * `POST /v1/invoices/{id}/void`: open invoices only (API.md), never while a payment is in flight
   * (it could still succeed).
   */
  void(meta: RequestMeta, id: string): Promise<ApiAnswer<InvoiceObject>> {
    return this.act(meta, id, 'void', async (tx, invoice, now, cause) => {
      this.assertOpen(invoice, 'voided');
      this.assertNotInFlight(invoice, 'voided');
      return this.voids.voidLocked(tx, invoice, now, cause);
    });
  }

  /** `POST /v1/invoices/{id}/mark_uncollectible`: an open invoice no payment is in flight for. */
  markUncollectible(meta: RequestMeta, id: string): Promise<ApiAnswer<InvoiceObject>> {
    return this.act(meta, id, 'mark_uncollectible', async (tx, invoice, now, cause) => {
      this.assertOpen(invoice, 'marked uncollectible');
      this.assertNotInFlight(invoice, 'marked uncollectible');
      return this.writer.change(
        tx,
        invoice,
        { status: 'uncollectible', marked_uncollectible_at: now, next_payment_attempt: null },
        'invoice.marked_uncollectible',
        {},
        now,
        cause,
      );
    });
  }

  private act(
    meta: RequestMeta,
    id: string,
    action: string,
    work: (tx: Tx, invoice: InvoiceRow, now: Date, cause: Cause) => Promise<InvoiceRow>,
  ): Promise<ApiAnswer<InvoiceObject>> {
    assertIdOf('invoice', id);
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const peek = await this.invoices.findForMerchant(tx, meta.merchantId, id);
      if (!peek) throw ApiError.missing('invoice', id);
      if (peek.subscription_id) await tx.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE`, [peek.subscription_id]);
      const invoice = (await this.invoices.find(tx, id, 'update'))!;
      const now = await this.customerTime.nowFor(tx, invoice.customer_id);
      const after = await work(tx, invoice, now, { correlation_id: meta.correlationId, causation_id: meta.requestId });
      invoiceActionsTotal.inc({ action });
      return { statusCode: 200, body: await this.objectOf(tx, after) };
    });
  }

  private assertOpen(invoice: InvoiceRow, what: string): void {
    if (invoice.status !== 'open') {
      throw conflict('invoice_not_open', `This invoice is ${invoice.status}: only an open invoice can be ${what}`);
    }
  }

  private assertNotInFlight(invoice: InvoiceRow, what: string): void {
    if (invoice.payment_pending) {
      throw conflict(
        'invoice_payment_in_flight',
        `A payment of this invoice is in progress: it cannot be ${what} until the payment's result is known`,
      );
    }
  }

  private async objectOf(db: Queryable, row: InvoiceRow): Promise<InvoiceObject> {
    return toInvoiceObject(row, await this.invoices.lines(db, row.id));
  }
}
