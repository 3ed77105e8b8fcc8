import type { EntitySubscriberInterface, TransactionCommitEvent } from 'typeorm';
import type { Queryable } from '@payflow/platform/database';

/** Set on a TypeORM query runner whose transaction scheduled deliveries (read after commit). */
const DELIVERIES_SCHEDULED = 'payflowDeliveriesScheduled';

/** Marks the transaction `tx` belongs to as one that scheduled deliveries. */
export function markDeliveriesScheduled(tx: Queryable): void {
  const data = (tx as { queryRunner?: { data?: Record<string, unknown> } }).queryRunner?.data;
  if (data) data[DELIVERIES_SCHEDULED] = true;
}

/**
 * Wakes the delivery worker after a transaction that scheduled deliveries commits — the way the
 * platform wakes the outbox relay — so a merchant event goes out at once rather than at the next
 * poll. The poll stays, for retries coming due and for deliveries scheduled by another replica.
 */
export class DeliveriesCommitSubscriber implements EntitySubscriberInterface {
  constructor(private readonly onCommit: () => void) {}

  afterTransactionCommit(event: TransactionCommitEvent): void {
    const data = event.queryRunner.data as Record<string, unknown> | undefined;
    if (!data?.[DELIVERIES_SCHEDULED]) return;
    delete data[DELIVERIES_SCHEDULED];
    this.onCommit();
  }
}
