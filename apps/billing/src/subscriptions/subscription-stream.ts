import type { PriceInterval, ProrationBehavior, SubscriptionStatus } from '@payflow/contracts';
import { gridPeriod } from '../invoice-generation/periods';

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

/** The interval every item of the subscription is billed on (all items share it: the service refuses mixes). */
export function billingInterval(items: readonly StreamItem[]): { interval: PriceInterval; interval_count: number } {
  const first = items[0];
  if (!first) throw new Error('a subscription needs at least one item');
  return { interval: first.price.interval, interval_count: first.price.interval_count };
}

/** Refuses a stream the generator cannot read: it must start with `created` v1, versions consecutive. */
export function assertWellFormedStream(stream: readonly SubscriptionEvent[]): void {
  if (stream.length === 0) throw new Error('empty subscription stream');
  if (stream[0].type !== 'created') throw new Error(`a subscription stream starts with created, not ${stream[0].type}`);
  stream.forEach((event, i) => {
    if (event.version !== i + 1) throw new Error(`subscription stream version ${event.version} at position ${i + 1}`);
    if (event.type === 'created' && i > 0) throw new Error('created appears twice in a subscription stream');
    if (!Number.isSafeInteger(event.at)) throw new Error(`event ${event.version} has a non-integer time`);
  });
  if (stream[0].type === 'created' && stream[0].data.items.length === 0) throw new Error('a subscription needs at least one item');
}

/**
 * The state as a fold of the stream. Decisions (Stripe's, written in docs/billing.md):
 * - `created` starts `trialing` when trial_end is after its time, else `incomplete` (the first
 *   invoice is not paid yet); payments move it on through `status_changed`.
 * - `trial_ended` makes a trialing subscription `active`. Before trial_end it ends the trial
 *   early: trial_end becomes that time and, when the anchor was the trial end (no
 *   billing_cycle_anchor was given), the anchor moves with it, as Stripe's `trial_end=now` does.
 * - `cancel_scheduled` sets cancel_at_period_end and canceled_at (the time of the request, as
 *   Stripe's canceled_at); `cancel_unscheduled` clears both.
 * - `canceled`: status `canceled`, ended_at = effective_at, canceled_at kept from a scheduled
 *   cancel or else the event's time. `status_changed` to `canceled`/`incomplete_expired` ends it
 *   at the event's time.
 * - current_period_* are those containing the last event's time (before the end, once ended);
 *   readers that need them "now" call periodContaining(state, now).
 */
export function foldSubscription(stream: readonly SubscriptionEvent[]): SubscriptionState {
  assertWellFormedStream(stream);
  const created = stream[0];
  if (created.type !== 'created') throw new Error('unreachable');
  const d = created.data;
  const state: SubscriptionState = {
    id: d.subscription_id,
    merchant_id: d.merchant_id,
    customer_id: d.customer_id,
    test_clock_id: d.test_clock_id,
    currency: d.currency,
    items: d.items.map(copyItem),
    billing_cycle_anchor: d.billing_cycle_anchor,
    trial_end: d.trial_end,
    status: d.trial_end !== null && d.trial_end > created.at ? 'trialing' : 'incomplete',
    cancel_at_period_end: false,
    canceled_at: null,
    ended_at: null,
    created: created.at,
    version: 1,
    current_period_start: 0,
    current_period_end: 0,
  };
  let lastAt = created.at;
  for (const event of stream.slice(1)) {
    lastAt = Math.max(lastAt, event.at);
    state.version = event.version;
    switch (event.type) {
      case 'created':
        throw new Error('unreachable');
      case 'items_changed':
        state.items = event.data.items.map(copyItem);
        break;
      case 'trial_ended':
        if (state.trial_end !== null && event.at < state.trial_end) {
          if (state.billing_cycle_anchor === state.trial_end) state.billing_cycle_anchor = event.at;
          state.trial_end = Math.max(event.at, state.created);
        }
        if (state.status === 'trialing') state.status = 'active';
        break;
      case 'cancel_scheduled':
        state.cancel_at_period_end = true;
        state.canceled_at = event.at;
        break;
      case 'cancel_unscheduled':
        state.cancel_at_period_end = false;
        state.canceled_at = null;
        break;
      case 'canceled':
        state.status = 'canceled';
        state.canceled_at = state.cancel_at_period_end && state.canceled_at !== null ? state.canceled_at : event.at;
        state.ended_at = event.data.effective_at;
        break;
      case 'status_changed':
        state.status = event.data.status;
        if ((event.data.status === 'canceled' || event.data.status === 'incomplete_expired') && state.ended_at === null) {
          state.ended_at = event.at;
          state.canceled_at ??= event.at;
        }
        break;
    }
  }
  const t = state.ended_at !== null ? Math.min(lastAt, state.ended_at - 1) : lastAt;
  const period = periodContaining(state, t);
  state.current_period_start = period.start;
  state.current_period_end = period.end;
  return state;
}

/** When the first paid period starts: the end of the trial, else the creation. */
export function paidStart(state: Pick<SubscriptionState, 'trial_end' | 'created'>): number {
  return state.trial_end !== null ? Math.max(state.trial_end, state.created) : state.created;
}

/**
 * The billing period containing t. During a trial it is the trial, [created, trial_end), as
 * Stripe reports it; then the anchor's grid period, whose start is clamped to the first paid
 * instant (a first period shorter than the interval when billing_cycle_anchor was given).
 */
export function periodContaining(state: SubscriptionState, t: number): { start: number; end: number } {
  const start = paidStart(state);
  const at = Math.max(t, state.created);
  if (at < start) return { start: state.created, end: start };
  const { interval, interval_count } = billingInterval(state.items);
  const grid = gridPeriod(state.billing_cycle_anchor, interval, interval_count, at);
  return { start: Math.max(grid.start, start), end: grid.end };
}

function copyItem(item: StreamItem): StreamItem {
  return { price: { ...item.price }, quantity: item.quantity };
}
