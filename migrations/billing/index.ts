import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';

/** Migrations of the billing schema, oldest first. */
export const BILLING_MIGRATIONS = [MessagingTables1764230400000];
