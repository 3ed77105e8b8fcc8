import { chunkedPrunerProvider } from '@payflow/platform/database';
import { DunningConfig } from '../dunning.config';

/** Deletes idempotency records past their retention every 15 minutes (they are ignored before that). */
export const IdempotencyPruner = chunkedPrunerProvider(
  {
    name: 'dunning idempotency records',
    schema: 'dunning',
    table: 'idempotency_records',
    timeColumn: 'created_at',
    intervalMs: 15 * 60_000,
  },
  DunningConfig,
  (config) => config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
);
