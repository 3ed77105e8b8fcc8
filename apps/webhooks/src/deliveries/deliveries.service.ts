import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListWebhookDeliveriesQuery } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';
import { WebhookEndpointsService } from '../endpoints/webhook-endpoints.service';
import { ListObject, listOf } from '../http/list-object';
import { DeliveriesRepository } from './deliveries.repository';
import { AttemptRow, WebhookDeliveryObject, toDeliveryObject } from './webhook-delivery';

/** What the merchant reads of its deliveries: each with its attempts and their outcomes. */
@Injectable()
export class DeliveriesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly deliveries: DeliveriesRepository,
    private readonly endpoints: WebhookEndpointsService,
  ) {}

  async list(
    merchantId: string,
    endpointId: string,
    query: ListWebhookDeliveriesQuery,
  ): Promise<ListObject<WebhookDeliveryObject>> {
    await this.endpoints.mustFind(merchantId, endpointId);
    const after = query.starting_after
      ? await this.deliveries.findForEndpoint(this.dataSource, endpointId, query.starting_after)
      : undefined;
    if (query.starting_after && !after) {
      throw ApiError.invalidParam(
        'starting_after',
        `No such webhook_delivery: '${query.starting_after}'`,
        'resource_missing',
      );
    }
    const rows = await this.deliveries.listForEndpoint(
      this.dataSource,
      endpointId,
      query.limit,
      after ?? undefined,
    );
    const attempts = await this.deliveries.attemptsOf(
      this.dataSource,
      rows.slice(0, query.limit).map((row) => row.id),
    );
    const byDelivery = new Map<string, AttemptRow[]>();
    for (const attempt of attempts)
      byDelivery.set(attempt.delivery_id, [...(byDelivery.get(attempt.delivery_id) ?? []), attempt]);
    return listOf(rows, query.limit, (row) => toDeliveryObject(row, byDelivery.get(row.id) ?? []));
  }
}
