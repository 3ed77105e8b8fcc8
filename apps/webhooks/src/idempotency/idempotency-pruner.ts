import { chunkedPrunerProvider } from '@payflow/platform/database';
import { WebhooksConfig } from '../webhooks.config';

/** Deletes idempotency records past their retention every 15 minutes (they are ignored before that). */
export const IdempotencyPruner = chunkedPrunerProvider(
  {
    name: 'webhooks idempotency records',
    schema: 'webhooks',
    table: 'idempotency_records',
    timeColumn: 'created_at',
    intervalMs: 15 * 60_000,
  },
  WebhooksConfig,
  (config) => config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
);
