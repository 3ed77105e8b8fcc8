import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CreatePriceRequest, ListPricesQuery, UpdatePriceRequest } from '@payflow/api';
import { PriceObject } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { ApiAnswer, ApiError } from '@payflow/platform/http';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import { ListObject, listOf, unknownCursor } from '../http/list-object';
import { assertIdOf, newPriceId } from '../http/public-ids';
import type { RequestMeta } from '../http/request-meta';
import { PriceRow, toPriceObject } from './price.row';
import { PricesRepository } from './prices.repository';

/**
 * Recurring prices (API.md "Price"). Immutable but for `nickname` and `active`: a subscription
 * snapshots its prices into its stream anyway, so even a change here could not reprice it, and an
 * inactive price only refuses new subscriptions and changes to it.
 */
@Injectable()
export class PricesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly prices: PricesRepository,
    private readonly idempotent: IdempotentTransaction,
    private readonly clock: Clock,
  ) {}

  create(meta: RequestMeta, request: CreatePriceRequest): Promise<ApiAnswer<PriceObject>> {
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const row = await this.prices.insert(tx, {
        id: newPriceId(),
        merchant_id: meta.merchantId,
        currency: request.currency.toUpperCase(),
        unit_amount: request.unit_amount,
        interval: request.recurring.interval,
        interval_count: request.recurring.interval_count ?? 1,
        nickname: request.nickname || null,
        active: request.active ?? true,
        // Prices belong to no clock: their creation time is the wall clock's.
        created_at: this.clock.now(),
      });
      return { statusCode: 201, body: toPriceObject(row) };
    });
  }

  async get(merchantId: string, id: string): Promise<PriceObject> {
    assertIdOf('price', id);
    const row = await this.prices.find(this.dataSource, merchantId, id);
    if (!row) throw ApiError.missing('price', id);
    return toPriceObject(row);
  }

  async list(merchantId: string, query: ListPricesQuery): Promise<ListObject<PriceObject>> {
    let cursor: PriceRow | null = null;
    if (query.starting_after) {
      cursor = await this.prices.find(this.dataSource, merchantId, query.starting_after);
      if (!cursor) throw unknownCursor('price', query.starting_after);
    }
    const rows = await this.prices.list(this.dataSource, merchantId, query.limit, cursor);
    return listOf(rows, query.limit, '/v1/prices', toPriceObject);
  }

  update(meta: RequestMeta, id: string, request: UpdatePriceRequest): Promise<ApiAnswer<PriceObject>> {
    assertIdOf('price', id);
    return this.idempotent.run(meta.idempotency, async (tx) => {
      const current = await this.prices.find(tx, meta.merchantId, id, true);
      if (!current) throw ApiError.missing('price', id);
      const changes: { nickname?: string | null; active?: boolean } = {};
      if (request.nickname !== undefined) changes.nickname = request.nickname === '' ? null : request.nickname;
      if (request.active !== undefined) changes.active = request.active;
      if (Object.keys(changes).length > 0) await this.prices.update(tx, id, changes);
      return { statusCode: 200, body: toPriceObject({ ...current, ...changes }) };
    });
  }
}
