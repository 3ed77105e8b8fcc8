import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { IdempotencyRecordStore } from '@payflow/platform/http';
import { DunningConfig } from '../dunning.config';

/**
 * Durable Idempotency-Key results of dunning's POSTs, written in the transaction that makes the
 * change (DESIGN.md "Idempotency"): with the gateway's Redis flushed, a retried settings change
 * answers the first result. The shared store on `dunning.idempotency_records`.
 */
@Injectable()
export class IdempotencyRecords extends IdempotencyRecordStore {
  constructor(clock: Clock, config: DunningConfig) {
    super({ schema: 'dunning', retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000, clock });
  }
}
