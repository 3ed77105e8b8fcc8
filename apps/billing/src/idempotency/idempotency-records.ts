import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { IdempotencyRecordStore } from '@payflow/platform/http';
import { BillingConfig } from '../billing.config';

/**
 * Durable Idempotency-Key results of billing's POSTs, written in the transaction that makes the
 * change (DESIGN.md "Idempotency"): with the gateway's Redis flushed, a retried subscription
 * creation still makes one subscription and requests one first payment. The shared store on
 * `billing.idempotency_records`.
 */
@Injectable()
export class IdempotencyRecords extends IdempotencyRecordStore {
  constructor(clock: Clock, config: BillingConfig) {
    super({ schema: 'billing', retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000, clock });
  }
}
