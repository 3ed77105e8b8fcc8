import { DataSource, EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import { OUTBOX_APPENDED } from './outbox-writer';

/**
 * Calls `onCommit` after every transaction of the data source that appended to the outbox, so the
 * relay publishes at once instead of at its next poll (TypeORM broadcasts commits to subscribers).
 */
export class OutboxCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly onCommit: () => void) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, unknown>;
    if (!data?.[OUTBOX_APPENDED]) return;
    delete data[OUTBOX_APPENDED];
    this.onCommit();
  }
}

export function watchOutboxCommits(dataSource: DataSource, onCommit: () => void): void {
  dataSource.subscribers.push(new OutboxCommitSubscriber(onCommit));
}
