import { chunkedPrunerProvider } from '@payflow/platform/database';
import { BillingConfig } from '../billing.config';

/** Deletes idempotency records past their retention every 15 minutes (they are ignored before that). */
export const IdempotencyPruner = chunkedPrunerProvider(
  {
    name: 'billing idempotency records',
    schema: 'billing',
    table: 'idempotency_records',
    timeColumn: 'created_at',
    intervalMs: 15 * 60_000,
  },
  BillingConfig,
  (config) => config.IDEMPOTENCY_RETENTION_HOURS * 3_600_000,
);
