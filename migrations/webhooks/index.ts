import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { Webhooks1764230400001 } from './1764230400001-webhooks';
import { OutboxSetAside1764921600000 } from './1764921600000-outbox-set-aside';
import { ConsumerOffsets1764921600200 } from './1764921600200-consumer-offsets';

/** Migrations of the webhooks schema, oldest first. */
export const WEBHOOKS_MIGRATIONS = [
  MessagingTables1764230400000,
  Webhooks1764230400001,
  OutboxSetAside1764921600000,
  ConsumerOffsets1764921600200,
];
