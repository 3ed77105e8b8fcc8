import { chunkedPrunerProvider } from '@payflow/platform/database';
import { IntentsConfig } from '../intents.config';

/** Deletes idempotency records past their retention every 15 minutes (they are ignored before that). */
export const IdempotencyPruner = chunkedPrunerProvider(
  {
    name: 'intents idempotency records',
    schema: 'intents',
    table: 'idempotency_records',
    timeColumn: 'created_at',
    intervalMs: 15 * 60_000,
  },
  IntentsConfig,
  (config) => config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
);
