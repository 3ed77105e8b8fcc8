import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';

/** Migrations of the gateway schema, oldest first. */
export const GATEWAY_MIGRATIONS = [MessagingTables1764230400000];
