import { HttpStatus, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  CreateWebhookEndpointRequest,
  ListWebhookEndpointsQuery,
  UpdateWebhookEndpointRequest,
} from '@payflow/api';
import { Clock } from '@payflow/platform/clock';
import { inTransaction } from '@payflow/platform/database';
import { ApiAnswer, ApiError, IdempotencyScope } from '@payflow/platform/http';
import { ListObject, listOf } from '../http/list-object';
import { newEndpointId } from '../http/public-ids';
import { IdempotencyRecords } from '../idempotency/idempotency-records';
import { newEndpointSecret } from '../signing/payflow-signature';
import { UrlSafety } from '../url-safety/url-safety';
import {
  DeletedEndpointObject,
  WebhookEndpointObject,
  WebhookEndpointRow,
  toEndpointObject,
} from './webhook-endpoint';
import { EndpointChanges, WebhookEndpointsRepository } from './webhook-endpoints.repository';

/** `enabled_events` as stored: `["*"]` alone when the wildcard is given, since it covers the rest. */
function normalizeEnabledEvents(events: string[]): string[] {
  return events.includes('*') ? ['*'] : [...events];
}

/**
 * Merchant webhook endpoints: create (with its signing secret, shown once), list, read, update,
 * delete. URLs are checked against the URL policy (https, public addresses) before anything is
 * written — the DNS lookup that check needs happens outside any transaction.
 */
@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly idempotency: IdempotencyRecords,
    private readonly urlSafety: UrlSafety,
    private readonly clock: Clock,
  ) {}

  async create(
    merchantId: string,
    request: CreateWebhookEndpointRequest,
    scope: IdempotencyScope | null,
  ): Promise<ApiAnswer<WebhookEndpointObject>> {
    // A replay answers what the first request answered, even if the URL would no longer pass.
    const stored = scope ? await this.idempotency.find(this.dataSource, scope) : null;
    if (stored) return stored as ApiAnswer<WebhookEndpointObject>;
    await this.urlSafety.assertAllowed(request.url);
    return this.idempotency.run(this.dataSource, scope, async (tx) => {
      const now = this.clock.now();
      const row = await this.endpoints.insert(tx, {
        id: newEndpointId(),
        merchant_id: merchantId,
        url: request.url,
        enabled_events: normalizeEnabledEvents(request.enabled_events),
        secret: newEndpointSecret(),
        status: 'enabled',
        description: request.description ?? null,
        created_at: now,
        updated_at: now,
      });
      return { statusCode: HttpStatus.CREATED, body: toEndpointObject(row, { withSecret: true }) };
    });
  }

  async list(
    merchantId: string,
    query: ListWebhookEndpointsQuery,
  ): Promise<ListObject<WebhookEndpointObject>> {
    const after = query.starting_after
      ? await this.endpoints.find(this.dataSource, merchantId, query.starting_after)
      : undefined;
    if (query.starting_after && !after) {
      throw ApiError.invalidParam(
        'starting_after',
        `No such webhook_endpoint: '${query.starting_after}'`,
        'resource_missing',
      );
    }
    const rows = await this.endpoints.list(this.dataSource, merchantId, query.limit, after ?? undefined);
    return listOf(rows, query.limit, (row) => toEndpointObject(row));
  }

  async get(merchantId: string, id: string): Promise<WebhookEndpointObject> {
    return toEndpointObject(await this.mustFind(merchantId, id));
  }

  async update(
    merchantId: string,
    id: string,
    request: UpdateWebhookEndpointRequest,
  ): Promise<WebhookEndpointObject> {
    await this.mustFind(merchantId, id);
    if (request.url !== undefined) await this.urlSafety.assertAllowed(request.url);
    return inTransaction(this.dataSource, async (tx) => {
      const current = await this.endpoints.find(tx, merchantId, id, { lock: true });
      if (!current) throw ApiError.missing('webhook_endpoint', id);
      const changes: EndpointChanges = {
        url: request.url,
        enabled_events: request.enabled_events && normalizeEnabledEvents(request.enabled_events),
        status: request.disabled === undefined ? undefined : request.disabled ? 'disabled' : 'enabled',
        description: request.description,
      };
      const now = this.clock.now();
      const updated = await this.endpoints.update(tx, id, changes, now);
      // Nothing is sent to a disabled endpoint: what was still waiting for it is canceled, so it
      // does not all arrive at once, long after the fact, if the endpoint is enabled again.
      if (current.status === 'enabled' && updated.status === 'disabled')
        await this.endpoints.cancelPendingDeliveries(tx, id, now);
      return toEndpointObject(updated);
    });
  }

  async delete(merchantId: string, id: string): Promise<DeletedEndpointObject> {
    // Its deliveries and their attempts go with it (ON DELETE CASCADE); an attempt in flight finds
    // its row gone and records nothing.
    if (!(await this.endpoints.delete(this.dataSource, merchantId, id)))
      throw ApiError.missing('webhook_endpoint', id);
    return { id, object: 'webhook_endpoint', deleted: true };
  }

  async mustFind(merchantId: string, id: string): Promise<WebhookEndpointRow> {
    const row = await this.endpoints.find(this.dataSource, merchantId, id);
    if (!row) throw ApiError.missing('webhook_endpoint', id);
    return row;
  }
}
