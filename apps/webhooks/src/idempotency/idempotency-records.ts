import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { IdempotencyRecordStore } from '@payflow/platform/http';
import { WebhooksConfig } from '../webhooks.config';

/**
 * Durable Idempotency-Key results of the service's creating POST (endpoint creation), written in
 * the transaction that creates: with the gateway's Redis flushed, a retried creation still makes
 * one endpoint, not two that would each receive every event. The shared store on
 * `webhooks.idempotency_records`.
 */
@Injectable()
export class IdempotencyRecords extends IdempotencyRecordStore {
  constructor(clock: Clock, config: WebhooksConfig) {
    super({ schema: 'webhooks', retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000, clock });
  }
}
