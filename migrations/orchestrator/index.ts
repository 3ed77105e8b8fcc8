import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';

/** Migrations of the orchestrator schema, oldest first. */
export const ORCHESTRATOR_MIGRATIONS = [MessagingTables1764230400000];
