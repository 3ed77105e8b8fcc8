import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';

/** Migrations of the ledger schema, oldest first. */
export const LEDGER_MIGRATIONS = [MessagingTables1764230400000];
