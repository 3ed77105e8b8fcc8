import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ListEventsQuery } from '@payflow/api';
import type { EventEnvelope } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import type { Tx } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { WebhookEndpointsRepository } from '../endpoints/webhook-endpoints.repository';
import { ListObject, listOf } from '../http/list-object';
import { newEventId } from '../http/public-ids';
import { WebhooksConfig } from '../webhooks.config';
import { MerchantEventObject, toMerchantEvent } from './merchant-event-mapping';
import { MerchantEventsRepository } from './merchant-events.repository';
import { merchantEventsTotal } from './merchant-events-metrics';

/**
 * Turns intents' and billing's events into merchant events and schedules their deliveries, inside the consumer's
 * transaction (with its inbox row): the event and one pending delivery per subscribed enabled
 * endpoint commit together. Nothing here calls out: the delivery worker sends later, outside.
 */
@Injectable()
export class MerchantEventsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: MerchantEventsRepository,
    private readonly endpoints: WebhookEndpointsRepository,
    private readonly deliveries: DeliveriesRepository,
    private readonly config: WebhooksConfig,
    private readonly clock: Clock,
  ) {}

  async record(tx: Tx, source: EventEnvelope): Promise<void> {
    const event = toMerchantEvent(newEventId(), source);
    if (!event) return;
    // Idempotent per source event, beyond the inbox: a replayed or re-published event builds nothing twice.
    if (!(await this.events.insertOnce(tx, event, source.merchant_id, source.id))) return;
    merchantEventsTotal.inc({ type: event.type });
    const subscribed = await this.endpoints.subscribedTo(tx, source.merchant_id, event.type);
    if (subscribed.length === 0) return;
    const now = this.clock.now();
    await this.deliveries.schedule(tx, {
      eventId: event.id,
      merchantId: source.merchant_id,
      endpointIds: subscribed.map((endpoint) => endpoint.id),
      dueAt: now,
      retryUntil: new Date(now.getTime() + this.config.WEBHOOK_RETRY_WINDOW_MS),
    });
  }

  async list(merchantId: string, query: ListEventsQuery): Promise<ListObject<MerchantEventObject>> {
    const after = query.starting_after
      ? await this.events.find(this.dataSource, merchantId, query.starting_after)
      : undefined;
    if (query.starting_after && !after) {
      throw ApiError.invalidParam(
        'starting_after',
        `No such event: '${query.starting_after}'`,
        'resource_missing',
      );
    }
    const rows = await this.events.list(this.dataSource, merchantId, {
      limit: query.limit,
      type: query.type,
      after: after ?? undefined,
    });
    return listOf(rows, query.limit, (row) => row.payload);
  }

  async get(merchantId: string, id: string): Promise<MerchantEventObject> {
    const row = await this.events.find(this.dataSource, merchantId, id);
    if (!row) throw ApiError.missing('event', id);
    return row.payload;
  }
}
