import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';

/** Migrations of the intents schema, oldest first. */
export const INTENTS_MIGRATIONS = [MessagingTables1764230400000];
