import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { Merchants1764230400001 } from './1764230400001-merchants';

/** Migrations of the gateway schema, oldest first. */
export const GATEWAY_MIGRATIONS = [MessagingTables1764230400000, Merchants1764230400001];
