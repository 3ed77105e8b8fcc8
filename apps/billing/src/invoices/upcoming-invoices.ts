import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UpcomingInvoiceQuery } from '@payflow/api';
import type { InvoiceObject } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { GeneratedLine, generateInvoiceLines, invoiceKeyTime, nextInvoiceAt } from '../invoice-generation';
import { PricesRepository } from '../prices/prices.repository';
import { Refusal, decideUpdate, isEnded, priceItems } from '../subscriptions/subscription-rules';
import { SubscriptionEvent, foldSubscription } from '../subscriptions/subscription-stream';
import { SubscriptionStreams } from '../subscriptions/subscription-streams';
import { CustomerTime } from '../test-clocks/customer-time';
import { CustomerBalances } from './customer-balances';
import { settle, subtotalOf } from './invoice-totals';
import { fromSeconds, toInvoiceLineObject, toInvoicedLine } from './invoice.row';
import { InvoicesRepository, generateOptionsOf } from './invoices.repository';

/** Stripe's upcoming invoice: an invoice that does not exist yet, so it has no id and no number. */
export type UpcomingInvoiceObject = Omit<InvoiceObject, 'id'> & { id: null };

const noUpcoming = (subscriptionId: string) =>
  new ApiError(
    HttpStatus.NOT_FOUND,
    'invalid_request_error',
    'invoice_upcoming_none',
    `No upcoming invoice for subscription '${subscriptionId}': nothing more will be billed`,
    'subscription',
  );

/** A refusal of the subscription rules, its `param` named as in this query (`subscription_items`). */
function refusalError(refusal: Refusal): ApiError {
  const param = refusal.param?.replace(/^items/, 'subscription_items');
  const type = 'invalid_request_error';
  return new ApiError(refusal.status as HttpStatus, type, refusal.code, refusal.message.replace(/\bitems\b/, 'subscription_items'), param);
}

/**
 * `GET /v1/invoices/upcoming` (API.md): the next invoice as it would be generated now, by the SAME
 * generator and the same subscription rules as the real thing, writing nothing. With proposed
 * items, the change is decided exactly as `POST /v1/subscriptions/{id}` would decide it (the
 * subscription rules, as of `proration_date`) and appended to a copy of the stream, so the change
 * made with the same `proration_date` produces exactly these lines (same ids, same amounts).
 *
 * The next invoice is the one of the next period boundary — the draft already collecting pending
 * prorations plus everything generated up to that boundary — or, for an `always_invoice` change,
 * the invoice that change makes at once.
 */
@Injectable()
export class UpcomingInvoices {
  constructor(
    private readonly dataSource: DataSource,
    private readonly streams: SubscriptionStreams,
    private readonly invoices: InvoicesRepository,
    private readonly prices: PricesRepository,
    private readonly balances: CustomerBalances,
    private readonly customerTime: CustomerTime,
  ) {}

  preview(merchantId: string, query: UpcomingInvoiceQuery): Promise<UpcomingInvoiceObject> {
    // One snapshot for the stream, the invoices and the balance (read only, nothing locked).
    return this.dataSource.transaction('REPEATABLE READ', (tx) => this.build(tx, merchantId, query));
  }

  private async build(tx: Tx, merchantId: string, query: UpcomingInvoiceQuery): Promise<UpcomingInvoiceObject> {
    const loaded = await this.streams.load(tx, query.subscription);
    if (!loaded || loaded.state.merchant_id !== merchantId) {
      const error = ApiError.missing('subscription', query.subscription);
      throw new ApiError(error.status, error.type, error.code, error.message, 'subscription');
    }
    const { state } = loaded;
    const now = Math.floor((await this.customerTime.nowFor(tx, state.customer_id)).getTime() / 1000);

    let stream: SubscriptionEvent[] = loaded.events;
    let invoicedAtOnce = false;
    if (query.subscription_items) {
      const requested = query.subscription_items.map((item) => ({ price: item.price, quantity: item.quantity }));
      const priced = priceItems(requested, await this.prices.findMany(tx, merchantId, requested.map((item) => item.price)));
      if (!priced.ok) throw refusalError(priced.refusal);
      const decision = decideUpdate({
        state,
        events: loaded.events,
        items: priced.value,
        prorationBehavior: query.proration_behavior,
        prorationDate: query.proration_date,
        now,
      });
      if (!decision.ok) throw refusalError(decision.refusal);
      const change = decision.value.map((event, i) => ({ ...event, version: state.version + i + 1 }) as SubscriptionEvent);
      stream = [...loaded.events, ...change];
      invoicedAtOnce = change.some((event) => event.type === 'items_changed' && event.data.proration_behavior === 'always_invoice');
    }
    const after = foldSubscription(stream);
    if (isEnded(after.status) || (after.ended_at !== null && after.ended_at <= now)) throw noUpcoming(state.id);

    const history = await this.invoices.invoicedHistory(tx, state.id);
    const { invoiced } = history;
    const options = generateOptionsOf(history);
    let lines: GeneratedLine[];
    let period: { start: number; end: number };
    if (invoicedAtOnce) {
      const made = generateInvoiceLines(stream, now, invoiced, options).invoices.filter((invoice) => invoice.invoice_key.startsWith('now:'));
      lines = made.flatMap((invoice) => invoice.lines);
      period = made.length > 0 ? { start: made[0].period_start, end: made[0].period_end } : { start: now, end: now };
    } else {
      // The next invoice: the generator's next instant with something to invoice, with the lines
      // already waiting on its draft (prorations written by earlier changes) and what is new.
      const next = nextInvoiceAt(stream, now, invoiced, options);
      if (next === null) throw noUpcoming(state.id);
      const generated = generateInvoiceLines(stream, next, invoiced, options).invoices.find((invoice) => invoiceKeyTime(invoice.invoice_key) === next);
      const key = generated?.invoice_key ?? `b:${next}`;
      const draft = await this.invoices.findByKey(tx, state.id, key);
      const pending =
        draft && draft.status === 'draft' ? (await this.invoices.lines(tx, draft.id)).map((line) => toInvoicedLine(line, key)) : [];
      lines = [...pending, ...(generated?.lines ?? [])];
      period = generated
        ? { start: generated.period_start, end: generated.period_end }
        : draft
          ? { start: Math.floor(draft.period_start.getTime() / 1000), end: Math.floor(draft.period_end.getTime() / 1000) }
          : { start: next, end: next };
    }
    if (lines.length === 0) throw noUpcoming(state.id);

    const settlement = settle(subtotalOf(lines), await this.balances.read(tx, state.customer_id, state.currency));
    return {
      id: null,
      object: 'invoice',
      number: null,
      customer: state.customer_id,
      subscription: state.id,
      status: 'draft',
      currency: state.currency,
      lines: lines.map(toInvoiceLineObject),
      subtotal: settlement.subtotal,
      starting_balance: settlement.starting_balance,
      total: settlement.total,
      amount_due: settlement.amount_due,
      amount_paid: 0,
      attempt_count: 0,
      next_payment_attempt: null,
      payment_intent: null,
      period_start: fromSeconds(period.start).toISOString(),
      period_end: fromSeconds(period.end).toISOString(),
      created: fromSeconds(now).toISOString(),
      finalized_at: null,
      paid_at: null,
    };
  }
}
