import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { Merchants1764230400001 } from './1764230400001-merchants';
import { OutboxSetAside1764921600000 } from './1764921600000-outbox-set-aside';
import { AuditLogAppendOnly1764921600200 } from './1764921600200-audit-log-append-only';
import { MerchantVersions1766000000300 } from './1766000000300-merchant-versions';

/** Migrations of the gateway schema, oldest first. */
export const GATEWAY_MIGRATIONS = [
  MessagingTables1764230400000,
  Merchants1764230400001,
  OutboxSetAside1764921600000,
  AuditLogAppendOnly1764921600200,
  MerchantVersions1766000000300,
];
