import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { AttemptsAndRouting1764230400001 } from './1764230400001-attempts-and-routing';
import { LapsedClaims1764230400002 } from './1764230400002-lapsed-claims';
import { OutboxSetAside1764921600000 } from './1764921600000-outbox-set-aside';
import { ConsumerOffsets1764921600200 } from './1764921600200-consumer-offsets';
import { PspLastWord1765000000000 } from './1765000000000-psp-last-word';
import { PendingNotificationsByAttempt1765000000100 } from './1765000000100-pending-notifications-by-attempt';
import { RefundWatch1765000000200 } from './1765000000200-refund-watch';
import { OffSession1766000001000 } from './1766000001000-off-session';

/** Migrations of the orchestrator schema, oldest first. */
export const ORCHESTRATOR_MIGRATIONS = [
  MessagingTables1764230400000,
  AttemptsAndRouting1764230400001,
  LapsedClaims1764230400002,
  OutboxSetAside1764921600000,
  ConsumerOffsets1764921600200,
  PspLastWord1765000000000,
  PendingNotificationsByAttempt1765000000100,
  RefundWatch1765000000200,
  OffSession1766000001000,
];
