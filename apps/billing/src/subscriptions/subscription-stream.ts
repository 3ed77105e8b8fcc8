import type { PriceInterval, ProrationBehavior, SubscriptionStatus } from '@payflow/contracts';

/**
 * A subscription is its event stream (DESIGN.md "Billing"): the state is a pure fold of it.
 * All times are epoch SECONDS (integers); the services convert Date <-> seconds.
 */

export interface PriceSnapshot {
  id: string;
  currency: string;
  unit_amount: number;
  interval: PriceInterval;
  interval_count: number;
}

export interface StreamItem {
  price: PriceSnapshot;
  quantity: number;
}

export type SubscriptionEvent =
  | {
      type: 'created';
      version: 1;
      at: number;
      data: {
        subscription_id: string;
        merchant_id: string;
        customer_id: string;
        test_clock_id: string | null;
        currency: string;
        items: StreamItem[];
        billing_cycle_anchor: number;
        trial_end: number | null;
      };
    }
  | {
      type: 'items_changed';
      version: number;
      at: number;
      data: { items: StreamItem[]; proration_behavior: ProrationBehavior; proration_date: number };
    }
  | { type: 'trial_ended'; version: number; at: number; data: Record<string, never> }
  | { type: 'cancel_scheduled'; version: number; at: number; data: { cancel_at: number } }
  | { type: 'cancel_unscheduled'; version: number; at: number; data: Record<string, never> }
  | {
      type: 'canceled';
      version: number;
      at: number;
      data: { effective_at: number; prorate: boolean; invoice_now: boolean };
    }
  | {
      type: 'status_changed';
      version: number;
      at: number;
      data: { status: SubscriptionStatus; reason: string };
    };

export type SubscriptionEventType = SubscriptionEvent['type'];

export interface SubscriptionState {
  id: string;
  merchant_id: string;
  customer_id: string;
  test_clock_id: string | null;
  currency: string;
  items: StreamItem[];
  billing_cycle_anchor: number;
  trial_end: number | null;
  status: SubscriptionStatus;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  ended_at: number | null;
  created: number;
  version: number;
  current_period_start: number;
  current_period_end: number;
}

export function foldSubscription(stream: readonly SubscriptionEvent[]): SubscriptionState {
  void stream;
  throw new Error('not implemented');
}

export function periodContaining(state: SubscriptionState, t: number): { start: number; end: number } {
  void state;
  void t;
  throw new Error('not implemented');
}
