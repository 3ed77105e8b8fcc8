import { MessagingTables1764230400000 } from './1764230400000-messaging-tables';
import { OutboxSetAside1764921600000 } from './1764921600000-outbox-set-aside';
import { ConsumerOffsets1764921600200 } from './1764921600200-consumer-offsets';
import { DunningCore1767000000000 } from './1767000000000-dunning-core';

/** Migrations of the dunning schema, oldest first. */
export const DUNNING_MIGRATIONS = [
  MessagingTables1764230400000,
  OutboxSetAside1764921600000,
  ConsumerOffsets1764921600200,
  DunningCore1767000000000,
];
