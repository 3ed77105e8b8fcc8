import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';

/** Migrations of the webhooks schema, oldest first. */
export const WEBHOOKS_MIGRATIONS = [MessagingTables1764230400000];
