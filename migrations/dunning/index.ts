import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';

/** Migrations of the dunning schema, oldest first. */
export const DUNNING_MIGRATIONS = [MessagingTables1764230400000];
