import { Injectable } from '@nestjs/common';
import { Clock } from '@payflow/platform/clock';
import { IdempotencyRecordStore } from '@payflow/platform/http';
import { IntentsConfig } from '../intents.config';
import { intentIdempotencyTotal } from '../state-machine/intent-metrics';

/** The intents schema's durable idempotency records (the shared store on `intents.idempotency_records`). */
@Injectable()
export class IdempotencyRecords extends IdempotencyRecordStore {
  constructor(clock: Clock, config: IntentsConfig) {
    super({
      schema: 'intents',
      retentionMs: config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
      clock,
      onOutcome: (outcome) => intentIdempotencyTotal.inc({ outcome }),
    });
  }
}
