import { Injectable } from '@nestjs/common';
import type { Tx } from '@payflow/platform/database';
import { isEnded } from '../subscriptions/subscription-rules';
import { Cause, SubscriptionStreams } from '../subscriptions/subscription-streams';
import type { TestClockRow } from './test-clock.row';

/**
 * A deleted clock's customers' subscriptions (API.md: "the clock is deleted and its customers'
 * subscriptions canceled; their invoices are kept"). Each is canceled through its stream — a
 * `canceled` event appended by SubscriptionStreams, the only writer of the streams, which also
 * refreshes the read model and publishes `subscription.canceled` — at the clock's time, effective
 * at once, without proration and without a final invoice (Stripe deletes a clock's objects
 * without billing them). Open and draft invoices stay as they are.
 */
@Injectable()
export class ClockSubscriptions {
  constructor(private readonly streams: SubscriptionStreams) {}

  /** Cancels them in id order (a fixed lock order, after the clock's row). Returns how many. */
  async cancelAll(tx: Tx, clock: TestClockRow, cause: Cause): Promise<number> {
    const rows = (await tx.query(
      `SELECT s.id FROM subscriptions s JOIN customers c ON c.id = s.customer_id
        WHERE c.test_clock_id = $1 AND s.status NOT IN ('canceled', 'incomplete_expired')
        ORDER BY s.id`,
      [clock.id],
    )) as { id: string }[];
    const at = Math.floor(clock.frozen_time.getTime() / 1000);
    let canceled = 0;
    for (const { id } of rows) {
      const loaded = await this.streams.load(tx, id, { forUpdate: true });
      if (!loaded || isEnded(loaded.state.status)) continue;
      await this.streams.append(
        tx,
        id,
        loaded.state.version,
        [{ type: 'canceled', at, data: { effective_at: at, prorate: false, invoice_now: false } }],
        cause,
      );
      canceled++;
    }
    return canceled;
  }
}
