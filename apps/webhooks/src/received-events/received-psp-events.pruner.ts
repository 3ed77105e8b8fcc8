import { chunkedPrunerProvider } from '@payflow/platform/database';
import { WebhooksConfig } from '../webhooks.config';

/**
 * Deletes received PSP events past RECEIVED_PSP_EVENTS_RETENTION_DAYS, hourly, in bounded chunks.
 * The retention must outlast the PSPs' own retries (Stripe: 3 days, Adyen: up to 30 days of
 * retries for a failing endpoint), since the rows are also the deduplication keys.
 */
export const ReceivedPspEventsPruner = chunkedPrunerProvider(
  {
    name: 'received PSP events',
    schema: 'webhooks',
    table: 'received_psp_events',
    timeColumn: 'received_at',
    intervalMs: 60 * 60_000,
  },
  WebhooksConfig,
  (config) => config.RECEIVED_PSP_EVENTS_RETENTION_DAYS * 86_400_000,
);
