import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { LedgerBook1764230400001 } from './1764230400001-ledger-book';
import { OutboxSetAside1764921600000 } from './1764921600000-outbox-set-aside';
import { LedgerBookFunction1764921600100 } from './1764921600100-ledger-book-function';
import { ConsumerOffsets1764921600200 } from './1764921600200-consumer-offsets';
import { PspLastWord1765000000000 } from './1765000000000-psp-last-word';

/** Migrations of the ledger schema, oldest first. */
export const LEDGER_MIGRATIONS = [
  MessagingTables1764230400000,
  LedgerBook1764230400001,
  OutboxSetAside1764921600000,
  LedgerBookFunction1764921600100,
  ConsumerOffsets1764921600200,
  PspLastWord1765000000000,
];
