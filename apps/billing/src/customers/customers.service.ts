import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreateCustomerRequest, ListCustomersQuery, UpdateCustomerRequest } from '@payflow/api';
import { CustomerObject, TOPICS, createEvent } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Queryable, Tx } from '@payflow/platform/database';
import { ApiAnswer, ApiError } from '@payflow/platform/http';
import { OutboxWriter } from '@payflow/platform/outbox';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import { ListObject, listOf, unknownCursor } from '../http/list-object';
import { assertIdOf, missingParam, newCustomerId } from '../http/public-ids';
import type { RequestMeta } from '../http/request-meta';
import { CustomerTime } from '../test-clocks/customer-time';
import { decideCustomerUpdate } from './customer-changes';
import { CustomerRow, toCustomerObject } from './customer.row';
import { CustomersRepository } from './customers.repository';

/**
 * Customers (API.md "Customer"). A customer created with `test_clock` lives on it for good: its
 * `created` is the clock's time, and every time billing reads for it is that clock's. A new
 * payment method is announced (`customer.payment_method_updated`) in the same transaction, so
 * dunning retries the customer's past-due invoices on the new card.
 */
@Injectable()
export class CustomersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly customers: CustomersRepository,
    private readonly idempotent: IdempotentTransaction,
    private readonly outbox: OutboxWriter,
    private readonly customerTime: CustomerTime,
    private readonly clock: Clock,
  ) {}

  create(meta: RequestMeta, request: CreateCustomerRequest): Promise<ApiAnswer<CustomerObject>> {
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const testClockId = request.test_clock ?? null;
      if (testClockId !== null) await this.assertUsableClock(tx, meta.merchantId, testClockId);
      const row = await this.customers.insert(tx, {
        id: newCustomerId(),
        merchant_id: meta.merchantId,
        email: request.email ?? null,
        name: request.name || null,
        payment_method: request.payment_method ?? null,
        test_clock_id: testClockId,
        metadata: request.metadata ?? {},
        created_at: await this.customerTime.nowForClock(tx, testClockId),
      });
      return { statusCode: 201, body: toCustomerObject(row) };
    });
  }

  async get(merchantId: string, id: string): Promise<CustomerObject> {
    assertIdOf('customer', id);
    const row = await this.customers.find(this.dataSource, merchantId, id);
    if (!row) throw ApiError.missing('customer', id);
    return toCustomerObject(row);
  }

  async list(merchantId: string, query: ListCustomersQuery): Promise<ListObject<CustomerObject>> {
    let cursor: CustomerRow | null = null;
    if (query.starting_after) {
      cursor = await this.customers.find(this.dataSource, merchantId, query.starting_after);
      if (!cursor) throw unknownCursor('customer', query.starting_after);
    }
    const rows = await this.customers.list(this.dataSource, merchantId, query.limit, cursor);
    return listOf(rows, query.limit, '/v1/customers', toCustomerObject);
  }

  update(meta: RequestMeta, id: string, request: UpdateCustomerRequest): Promise<ApiAnswer<CustomerObject>> {
    assertIdOf('customer', id);
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const current = await this.customers.find(tx, meta.merchantId, id, 'update');
      if (!current) throw ApiError.missing('customer', id);
      const decision = decideCustomerUpdate(current, request);
      if (!decision.ok) throw ApiError.invalidParam(decision.param, decision.message);
      if (Object.keys(decision.changes).length > 0) {
        await this.customers.update(tx, id, decision.changes, this.clock.now());
      }
      if (decision.paymentMethodChanged) await this.announceNewPaymentMethod(tx, meta, current, request.payment_method!);
      const updated = await this.customers.find(tx, meta.merchantId, id);
      return { statusCode: 200, body: toCustomerObject(updated!) };
    });
  }

  /** The merchant's own clock, not deleted; FOR SHARE so a concurrent deletion waits for this customer. */
  private async assertUsableClock(tx: Queryable, merchantId: string, clockId: string): Promise<void> {
    const rows = (await tx.query(
      `SELECT deleted_at FROM test_clocks WHERE id = $1 AND merchant_id = $2 FOR SHARE`,
      [clockId, merchantId],
    )) as { deleted_at: Date | null }[];
    if (rows.length === 0 || rows[0].deleted_at !== null) throw missingParam('test_clock', clockId, 'test_clock');
  }

  private async announceNewPaymentMethod(
    tx: Tx,
    meta: RequestMeta,
    customer: CustomerRow,
    paymentMethod: string,
  ): Promise<void> {
    const clockTime = await this.customerTime.nowForClock(tx, customer.test_clock_id);
    const now = this.clock.now();
    const event = createEvent({
      type: 'customer.payment_method_updated',
      source: 'billing',
      aggregate_type: 'customer',
      aggregate_id: customer.id,
      // Customers carry no version column: the commit time orders a customer's announcements.
      aggregate_version: now.getTime(),
      merchant_id: customer.merchant_id,
      occurred_at: now.toISOString(),
      correlation_id: meta.correlationId,
      causation_id: meta.requestId,
      data: {
        customer: customer.id,
        payment_method: paymentMethod,
        previous_payment_method: customer.payment_method,
        test_clock: customer.test_clock_id,
        clock_time: clockTime.toISOString(),
      },
    });
    await this.outbox.append(tx, { topic: TOPICS.billing, event, key: customer.id });
  }
}
