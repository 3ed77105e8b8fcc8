import type { PriceInterval, ProrationBehavior, SubscriptionStatus } from '@payflow/contracts';
import type { PriceSnapshot, StreamItem, SubscriptionEvent } from '../../subscriptions/subscription-stream';

/** Builds subscription streams for tests (versions numbered in order). Not used by the service. */

export const seconds = (iso: string): number => Date.parse(iso) / 1000;

export function price(id: string, unit_amount: number, interval: PriceInterval = 'month', interval_count = 1): PriceSnapshot {
  return { id, currency: 'usd', unit_amount, interval, interval_count };
}

export class StreamBuilder {
  readonly events: SubscriptionEvent[] = [];

  constructor(
    at: number,
    items: StreamItem[],
    options: { id?: string; anchor?: number; trial_end?: number | null } = {},
  ) {
    const trialEnd = options.trial_end ?? null;
    this.events.push({
      type: 'created',
      version: 1,
      at,
      data: {
        subscription_id: options.id ?? 'sub_test',
        merchant_id: 'acct_test',
        customer_id: 'cus_test',
        test_clock_id: null,
        currency: 'usd',
        items,
        billing_cycle_anchor: options.anchor ?? trialEnd ?? at,
        trial_end: trialEnd,
      },
    });
  }

  private get next(): number {
    return this.events.length + 1;
  }

  change(at: number, items: StreamItem[], proration_behavior: ProrationBehavior = 'create_prorations', proration_date = at): this {
    this.events.push({ type: 'items_changed', version: this.next, at, data: { items, proration_behavior, proration_date } });
    return this;
  }

  endTrial(at: number): this {
    this.events.push({ type: 'trial_ended', version: this.next, at, data: {} });
    return this;
  }

  scheduleCancel(at: number, cancel_at: number): this {
    this.events.push({ type: 'cancel_scheduled', version: this.next, at, data: { cancel_at } });
    return this;
  }

  unscheduleCancel(at: number): this {
    this.events.push({ type: 'cancel_unscheduled', version: this.next, at, data: {} });
    return this;
  }

  cancel(at: number, options: { effective_at?: number; prorate?: boolean; invoice_now?: boolean } = {}): this {
    this.events.push({
      type: 'canceled',
      version: this.next,
      at,
      data: { effective_at: options.effective_at ?? at, prorate: options.prorate ?? false, invoice_now: options.invoice_now ?? false },
    });
    return this;
  }

  status(at: number, status: SubscriptionStatus, reason = 'test'): this {
    this.events.push({ type: 'status_changed', version: this.next, at, data: { status, reason } });
    return this;
  }

  get stream(): SubscriptionEvent[] {
    return [...this.events];
  }
}
