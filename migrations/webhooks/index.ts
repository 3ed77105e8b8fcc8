import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { Webhooks1764230400001 } from './1764230400001-webhooks';

/** Migrations of the webhooks schema, oldest first. */
export const WEBHOOKS_MIGRATIONS = [MessagingTables1764230400000, Webhooks1764230400001];
