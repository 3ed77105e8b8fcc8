import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CancelSubscriptionRequest,
  CreateSubscriptionRequest,
  ListSubscriptionsQuery,
  UpdateSubscriptionRequest,
} from '@payflow/api';
import { SubscriptionObject } from '@payflow/contracts';
import { Queryable, Tx } from '@payflow/platform/database';
import { ApiAnswer, ApiError } from '@payflow/platform/http';
import { CustomersRepository } from '../customers/customers.repository';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import { ListObject, listOf, unknownCursor } from '../http/list-object';
import { assertIdOf, missingParam, newSubscriptionId } from '../http/public-ids';
import type { RequestMeta } from '../http/request-meta';
import { Invoicing } from '../invoices/invoicing';
import { PricesRepository } from '../prices/prices.repository';
import { ScheduledWork } from '../scheduler/scheduled-work';
import { WORK_KINDS } from '../scheduler/work-kinds';
import { CustomerTime } from '../test-clocks/customer-time';
import {
  Decision,
  INCOMPLETE_EXPIRY_SECONDS,
  NewSubscriptionEvent,
  RequestedItem,
  decideCancel,
  decideCreate,
  decideUpdate,
  isEnded,
  priceItems,
} from './subscription-rules';
import { fromSeconds, isoOf, toSeconds } from './subscription-object';
import { periodContaining, StreamItem } from './subscription-stream';
import { Cause, SubscriptionStreams, billCause } from './subscription-streams';
import { SubscriptionRow, SubscriptionsRepository } from './subscriptions.repository';

function orRefuse<T>(decision: Decision<T>): T {
  if (decision.ok) return decision.value;
  const { status, code, message, param } = decision.refusal;
  throw new ApiError(status as HttpStatus, 'invalid_request_error', code, message, param);
}

const causeOf = (meta: RequestMeta): Cause => ({ correlationId: meta.correlationId, causationId: meta.requestId });

/**
 * The subscriptions API (API.md "Subscription"). Each command is one transaction: load the
 * stream, decide (subscription-rules, pure) on the customer's clock, append the events
 * (SubscriptionStreams: read model and outbox with them), schedule the subscription's own work,
 * and let Invoicing bill what the change made owed — the first invoice finalized at once and its
 * payment requested, `always_invoice` and `invoice_now` likewise, prorations otherwise on the next
 * invoice. The answer is the subscription as it then stands (`incomplete` until the first invoice
 * is paid).
 */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subscriptions: SubscriptionsRepository,
    private readonly streams: SubscriptionStreams,
    private readonly customers: CustomersRepository,
    private readonly prices: PricesRepository,
    private readonly customerTime: CustomerTime,
    private readonly invoicing: Invoicing,
    private readonly scheduled: ScheduledWork,
    private readonly idempotent: IdempotentTransaction,
  ) {}

  create(meta: RequestMeta, request: CreateSubscriptionRequest): Promise<ApiAnswer<SubscriptionObject>> {
    return this.idempotent.run(meta.idempotency, async (tx) => {
      // FOR SHARE: the customer's card and clock cannot change under the decision.
      const customer = await this.customers.find(tx, meta.merchantId, request.customer, 'share');
      if (!customer) throw missingParam('customer', request.customer, 'customer');
      const items = await this.priced(tx, meta.merchantId, request.items);
      await this.assertClockStill(tx, customer.test_clock_id);
      const now = toSeconds(await this.customerTime.nowFor(tx, customer.id));
      const id = newSubscriptionId();
      const created = orRefuse(
        decideCreate({
          subscriptionId: id,
          merchantId: meta.merchantId,
          customer,
          items,
          trialPeriodDays: request.trial_period_days,
          billingCycleAnchor: request.billing_cycle_anchor,
          now,
        }),
      );
      const { state } = await this.streams.append(tx, id, 0, [created], causeOf(meta));
      const work = { subject_id: id, test_clock_id: state.test_clock_id };
      if (state.trial_end !== null) {
        await this.scheduled.schedule(tx, { ...work, kind: WORK_KINDS.trialEnd, due_at: fromSeconds(state.trial_end) });
      } else {
        await this.scheduled.schedule(tx, {
          ...work,
          kind: WORK_KINDS.expireIncomplete,
          due_at: fromSeconds(now + INCOMPLETE_EXPIRY_SECONDS),
        });
      }
      // The first invoice (nothing with a trial, until it ends) is finalized now and its payment requested.
      await this.invoicing.bill(tx, id, fromSeconds(now), { finalizeNow: true, cause: billCause(causeOf(meta)) });
      return { statusCode: 201, body: await this.current(tx, id) };
    });
  }

  async get(merchantId: string, id: string): Promise<SubscriptionObject> {
    assertIdOf('subscription', id);
    const row = await this.subscriptions.find(this.dataSource, merchantId, id);
    if (!row) throw ApiError.missing('subscription', id);
    return this.present(this.dataSource, row, new Map());
  }

  async list(merchantId: string, query: ListSubscriptionsQuery): Promise<ListObject<SubscriptionObject>> {
    let cursor: SubscriptionRow | null = null;
    if (query.starting_after) {
      cursor = await this.subscriptions.find(this.dataSource, merchantId, query.starting_after);
      if (!cursor) throw unknownCursor('subscription', query.starting_after);
    }
    const rows = await this.subscriptions.list(this.dataSource, merchantId, {
      limit: query.limit,
      customer: query.customer,
      status: query.status,
      cursor,
    });
    const clockTimes = new Map<string | null, number>();
    const page = listOf(rows, query.limit, '/v1/subscriptions', (row) => row);
    const data: SubscriptionObject[] = [];
    for (const row of page.data) data.push(await this.present(this.dataSource, row, clockTimes));
    return { ...page, data };
  }

  update(meta: RequestMeta, id: string, request: UpdateSubscriptionRequest): Promise<ApiAnswer<SubscriptionObject>> {
    assertIdOf('subscription', id);
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const { state, events } = await this.loadForMerchant(tx, meta.merchantId, id);
      const items = request.items ? await this.priced(tx, meta.merchantId, request.items) : undefined;
      await this.assertClockStill(tx, state.test_clock_id);
      const now = toSeconds(await this.customerTime.nowFor(tx, state.customer_id));
      const decided = orRefuse(
        decideUpdate({
          state,
          events,
          items,
          prorationBehavior: request.proration_behavior,
          prorationDate: request.proration_date,
          cancelAtPeriodEnd: request.cancel_at_period_end,
          now,
        }),
      );
      await this.apply(tx, id, state.version, decided, now, causeOf(meta));
      return { statusCode: 200, body: await this.current(tx, id) };
    });
  }

  cancel(meta: RequestMeta, id: string, request: CancelSubscriptionRequest): Promise<ApiAnswer<SubscriptionObject>> {
    assertIdOf('subscription', id);
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const { state } = await this.loadForMerchant(tx, meta.merchantId, id);
      await this.assertClockStill(tx, state.test_clock_id);
      const now = toSeconds(await this.customerTime.nowFor(tx, state.customer_id));
      const decided = orRefuse(
        decideCancel({
          state,
          atPeriodEnd: request.at_period_end,
          prorate: request.prorate,
          invoiceNow: request.invoice_now,
          now,
        }),
      );
      await this.apply(tx, id, state.version, decided, now, causeOf(meta));
      return { statusCode: 200, body: await this.current(tx, id) };
    });
  }

  /**
   * Appends what a change or a cancellation decided, schedules a cancellation at the period end,
   * and bills what changed what is owed: new items (`always_invoice` at once) or a cancellation
   * now (`invoice_now` at once).
   */
  private async apply(
    tx: Tx,
    id: string,
    version: number,
    events: NewSubscriptionEvent[],
    now: number,
    cause: Cause,
  ): Promise<void> {
    if (events.length === 0) return;
    const { state } = await this.streams.append(tx, id, version, events, cause);
    let bill = false;
    let finalizeNow = false;
    for (const event of events) {
      if (event.type === 'cancel_scheduled') {
        await this.scheduled.schedule(tx, {
          kind: WORK_KINDS.cancelAtPeriodEnd,
          subject_id: id,
          test_clock_id: state.test_clock_id,
          due_at: fromSeconds(event.data.cancel_at),
        });
      } else if (event.type === 'items_changed') {
        bill = true;
        finalizeNow ||= event.data.proration_behavior === 'always_invoice';
      } else if (event.type === 'canceled') {
        bill = true;
        finalizeNow ||= event.data.invoice_now;
      }
    }
    if (bill) await this.invoicing.bill(tx, id, fromSeconds(now), { finalizeNow, cause: billCause(cause) });
  }

  /** The read model after a command (its `latest_invoice` refreshed: billing may have made one). */
  private async current(tx: Tx, id: string): Promise<SubscriptionObject> {
    const object = await this.streams.refreshLatestInvoice(tx, id);
    if (!object) throw new Error(`subscription ${id} has no read model row after a command`);
    return object;
  }

  private async loadForMerchant(tx: Queryable, merchantId: string, id: string) {
    const loaded = await this.streams.load(tx, id);
    if (!loaded || loaded.state.merchant_id !== merchantId) throw ApiError.missing('subscription', id);
    return loaded;
  }

  private async priced(tx: Queryable, merchantId: string, requested: readonly RequestedItem[]): Promise<StreamItem[]> {
    const prices = await this.prices.findMany(
      tx,
      merchantId,
      requested.map((item) => item.price),
    );
    return orRefuse(priceItems(requested, prices));
  }

  /**
   * A customer's test clock must stand still while its subscriptions change (Stripe refuses too):
   * an advance runs the clock's work instant by instant, and a change made meanwhile would land at
   * an instant the saga has already passed.
   */
  private async assertClockStill(tx: Queryable, clockId: string | null): Promise<void> {
    if (clockId === null) return;
    const rows = (await tx.query(`SELECT status FROM test_clocks WHERE id = $1`, [clockId])) as { status: string }[];
    if (rows[0]?.status === 'advancing') {
      throw new ApiError(
        HttpStatus.CONFLICT,
        'invalid_request_error',
        'test_clock_advancing',
        `The customer's test clock '${clockId}' is advancing: retry when it is ready`,
      );
    }
  }

  /**
   * The stored object, brought to the customer's time: a period boundary passed since the last
   * event moves `current_period_*` (the read model changes only with the stream), and
   * `latest_invoice` is the newest invoice, whoever made it.
   */
  private async present(
    db: Queryable,
    row: SubscriptionRow,
    clockTimes: Map<string | null, number>,
  ): Promise<SubscriptionObject> {
    const object = { ...row.object, latest_invoice: await this.streams.latestInvoiceOf(db, row.id) };
    if (isEnded(row.status)) return object;
    let now = clockTimes.get(row.test_clock_id);
    if (now === undefined) {
      now = toSeconds(await this.customerTime.nowForClock(db, row.test_clock_id));
      clockTimes.set(row.test_clock_id, now);
    }
    if (now < toSeconds(new Date(object.current_period_end))) return object;
    const loaded = await this.streams.load(db, row.id);
    if (!loaded) return object;
    const period = periodContaining(loaded.state, now);
    return { ...object, current_period_start: isoOf(period.start), current_period_end: isoOf(period.end) };
  }
}
