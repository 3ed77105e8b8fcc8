import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { AttemptsAndRouting1764230400001 } from './1764230400001-attempts-and-routing';
import { LapsedClaims1764230400002 } from './1764230400002-lapsed-claims';

/** Migrations of the orchestrator schema, oldest first. */
export const ORCHESTRATOR_MIGRATIONS = [MessagingTables1764230400000, AttemptsAndRouting1764230400001, LapsedClaims1764230400002];
