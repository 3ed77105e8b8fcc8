import type { ProrationBehavior, SubscriptionStatus } from '@payflow/contracts';
import { addInterval } from '../invoice-generation/periods';
import type { PriceRow } from '../prices/price.row';
import {
  SubscriptionEvent,
  SubscriptionState,
  StreamItem,
  periodContaining,
} from './subscription-stream';

/**
 * The pure decisions of the subscriptions API and of its scheduled work: given what was loaded
 * (the customer, the prices, the stream's state) and the customer's time, which events to append
 * or why the request is refused. No I/O, so every rule has a unit test. Times are epoch seconds.
 */

/** An event to append: `append` gives it its version (the next of the stream). */
export type NewSubscriptionEvent = SubscriptionEvent extends infer E
  ? E extends SubscriptionEvent
    ? Omit<E, 'version'>
    : never
  : never;

/** Why a request is refused, as API.md's error (the service turns it into an ApiError). */
export interface Refusal {
  status: 400 | 404 | 409;
  code: string;
  message: string;
  param?: string;
}

export type Decision<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

const ok = <T>(value: T): Decision<T> => ({ ok: true, value });
const refuse = (status: Refusal['status'], code: string, message: string, param?: string): Decision<never> => ({
  ok: false,
  refusal: { status, code, message, ...(param ? { param } : {}) },
});

const DAY = 86_400;
/** API.md: a first invoice unpaid 23 h after creation makes the subscription `incomplete_expired`. */
export const INCOMPLETE_EXPIRY_SECONDS = 23 * 3_600;

/** Statuses after which nothing more happens to a subscription (no change, no billing). */
export const ENDED_STATUSES: readonly SubscriptionStatus[] = ['canceled', 'incomplete_expired'];

export const isEnded = (status: SubscriptionStatus): boolean => ENDED_STATUSES.includes(status);

export interface RequestedItem {
  price: string;
  quantity?: number;
}

/**
 * The items of a create or a change, priced: every price the merchant's (else 404 naming the
 * item), active (else 400), all of one currency and one interval (else 400 `items`, API.md).
 * One interval means the same `interval` and `interval_count`: periods are one calendar for all.
 */
export function priceItems(
  requested: readonly RequestedItem[],
  prices: ReadonlyMap<string, PriceRow>,
): Decision<StreamItem[]> {
  if (requested.length === 0) return refuse(400, 'parameter_missing', 'items must have at least 1 item', 'items');
  const items: StreamItem[] = [];
  for (const [i, item] of requested.entries()) {
    const price = prices.get(item.price);
    if (!price) return refuse(404, 'resource_missing', `No such price: '${item.price}'`, `items[${i}][price]`);
    if (!price.active) {
      return refuse(400, 'price_inactive', `The price '${price.id}' is inactive: only active prices can be subscribed to`, `items[${i}][price]`);
    }
    items.push({
      price: {
        id: price.id,
        currency: price.currency,
        unit_amount: price.unit_amount,
        interval: price.interval,
        interval_count: price.interval_count,
      },
      quantity: item.quantity ?? 1,
    });
  }
  const [first] = items;
  if (items.some((item) => item.price.currency !== first.price.currency)) {
    return refuse(400, 'parameter_invalid', 'All items of a subscription must have prices in one currency', 'items');
  }
  if (
    items.some(
      (item) => item.price.interval !== first.price.interval || item.price.interval_count !== first.price.interval_count,
    )
  ) {
    return refuse(400, 'parameter_invalid', 'All items of a subscription must have prices with one billing interval', 'items');
  }
  return ok(items);
}

export interface CreateInput {
  subscriptionId: string;
  merchantId: string;
  customer: { id: string; payment_method: string | null; test_clock_id: string | null };
  items: StreamItem[];
  trialPeriodDays?: number;
  billingCycleAnchor?: number;
  /** The customer's time now. */
  now: number;
}

/**
 * A new subscription's `created` event. Without a trial the customer needs a payment method (the
 * first invoice is charged at once). Periods start now, or at the trial's end; an explicit
 * `billing_cycle_anchor` may not be before that start nor past the first natural boundary
 * (Stripe's rule): the time until it is the first, shorter, period.
 */
export function decideCreate(input: CreateInput): Decision<NewSubscriptionEvent> {
  const trialEnd = input.trialPeriodDays ? input.now + input.trialPeriodDays * DAY : null;
  if (trialEnd === null && !input.customer.payment_method) {
    return refuse(
      400,
      'payment_method_missing',
      'This customer has no payment method: give the customer a payment_method, or start with a trial',
      'customer',
    );
  }
  const start = trialEnd ?? input.now;
  const { interval, interval_count } = input.items[0].price;
  let anchor = start;
  if (input.billingCycleAnchor !== undefined) {
    if (input.billingCycleAnchor < start) {
      return refuse(
        400,
        'parameter_invalid',
        trialEnd === null
          ? 'billing_cycle_anchor cannot be in the past'
          : 'billing_cycle_anchor cannot be before the trial ends',
        'billing_cycle_anchor',
      );
    }
    if (input.billingCycleAnchor > addInterval(start, interval, interval_count, 1)) {
      return refuse(
        400,
        'parameter_invalid',
        'billing_cycle_anchor cannot be later than the first natural billing date',
        'billing_cycle_anchor',
      );
    }
    anchor = input.billingCycleAnchor;
  }
  return ok({
    type: 'created',
    at: input.now,
    data: {
      subscription_id: input.subscriptionId,
      merchant_id: input.merchantId,
      customer_id: input.customer.id,
      test_clock_id: input.customer.test_clock_id,
      currency: input.items[0].price.currency,
      items: input.items,
      billing_cycle_anchor: anchor,
      trial_end: trialEnd,
    },
  });
}

function refuseEnded(state: SubscriptionState): Decision<never> {
  return refuse(
    409,
    'invalid_state_transition',
    `The subscription is ${state.status}: it can no longer be changed`,
  );
}

/** Same prices with the same quantities, whatever the order: not a change. */
export function sameItems(a: readonly StreamItem[], b: readonly StreamItem[]): boolean {
  if (a.length !== b.length) return false;
  const key = (items: readonly StreamItem[]) =>
    items
      .map((item) => `${item.price.id}×${item.quantity}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

/** When the stream last changed what is billed (its creation or its latest change of items). */
export function lastItemsChangeAt(events: readonly SubscriptionEvent[]): number {
  let at = 0;
  for (const event of events) if (event.type === 'created' || event.type === 'items_changed') at = event.at;
  return at;
}

/** The cancellation pending at a period end: the latest `cancel_scheduled` not taken back since. */
export function pendingCancelAt(events: readonly SubscriptionEvent[]): number | null {
  let cancelAt: number | null = null;
  for (const event of events) {
    if (event.type === 'cancel_scheduled') cancelAt = event.data.cancel_at;
    else if (event.type === 'cancel_unscheduled' || event.type === 'canceled') cancelAt = null;
  }
  return cancelAt;
}

export interface UpdateInput {
  state: SubscriptionState;
  events: readonly SubscriptionEvent[];
  /** The new items, priced (priceItems), or undefined when the request does not change them. */
  items?: StreamItem[];
  prorationBehavior?: ProrationBehavior;
  prorationDate?: number;
  cancelAtPeriodEnd?: boolean;
  now: number;
}

/**
 * `POST /v1/subscriptions/{id}`: the events of a change, possibly none (the same items again, a
 * cancellation already scheduled). New items keep the subscription's currency and interval (a
 * change of interval would move the billing cycle, which PayFlow does not do: cancel and create
 * instead). `proration_date` may not be before the current period nor before the latest change of
 * items (that time is already accounted for), nor in the future.
 */
export function decideUpdate(input: UpdateInput): Decision<NewSubscriptionEvent[]> {
  const { state, now } = input;
  if (isEnded(state.status)) return refuseEnded(state);
  const events: NewSubscriptionEvent[] = [];
  if (input.items !== undefined && !sameItems(input.items, state.items)) {
    if (state.status === 'incomplete') {
      return refuse(
        409,
        'invalid_state_transition',
        'The subscription is incomplete: its items cannot change until its first invoice is paid',
        'items',
      );
    }
    const current = state.items[0].price;
    const next = input.items[0].price;
    if (next.currency !== state.currency) {
      return refuse(400, 'parameter_invalid', `The items must keep the subscription's currency (${state.currency})`, 'items');
    }
    if (next.interval !== current.interval || next.interval_count !== current.interval_count) {
      return refuse(400, 'parameter_invalid', "The items must keep the subscription's billing interval", 'items');
    }
    const period = periodContaining(state, now);
    const prorationDate = input.prorationDate ?? now;
    if (prorationDate > now) {
      return refuse(400, 'parameter_invalid', 'proration_date cannot be in the future', 'proration_date');
    }
    if (prorationDate < period.start || prorationDate < lastItemsChangeAt(input.events)) {
      return refuse(
        400,
        'parameter_invalid',
        'proration_date must be within the current period and after the latest change of items',
        'proration_date',
      );
    }
    events.push({
      type: 'items_changed',
      at: now,
      data: {
        items: input.items,
        proration_behavior: input.prorationBehavior ?? 'create_prorations',
        proration_date: prorationDate,
      },
    });
  }
  if (input.cancelAtPeriodEnd === true && !state.cancel_at_period_end) {
    events.push({ type: 'cancel_scheduled', at: now, data: { cancel_at: periodContaining(state, now).end } });
  } else if (input.cancelAtPeriodEnd === false && state.cancel_at_period_end) {
    events.push({ type: 'cancel_unscheduled', at: now, data: {} });
  }
  return ok(events);
}

export interface CancelInput {
  state: SubscriptionState;
  atPeriodEnd?: boolean;
  prorate?: boolean;
  invoiceNow?: boolean;
  now: number;
}

/**
 * `POST /v1/subscriptions/{id}/cancel`: now (optionally crediting the unused time and invoicing
 * what is pending at once) or at the end of the current period. `prorate` and `invoice_now` only
 * mean something for a cancellation now: with `at_period_end` they are refused, not ignored.
 */
export function decideCancel(input: CancelInput): Decision<NewSubscriptionEvent[]> {
  const { state, now } = input;
  if (isEnded(state.status)) return refuseEnded(state);
  if (input.atPeriodEnd) {
    if (input.prorate) return refuse(400, 'parameter_invalid', 'prorate cannot be combined with at_period_end', 'prorate');
    if (input.invoiceNow) {
      return refuse(400, 'parameter_invalid', 'invoice_now cannot be combined with at_period_end', 'invoice_now');
    }
    if (state.cancel_at_period_end) return ok([]);
    return ok([{ type: 'cancel_scheduled', at: now, data: { cancel_at: periodContaining(state, now).end } }]);
  }
  return ok([
    {
      type: 'canceled',
      at: now,
      data: { effective_at: now, prorate: input.prorate ?? false, invoice_now: input.invoiceNow ?? false },
    },
  ]);
}

// ── Scheduled work: each decision is idempotent (a second run, or a stale row, appends nothing) ──

/** `subscription.expire_incomplete`: still `incomplete` 23 h after creation → `incomplete_expired`. */
export function decideExpireIncomplete(state: SubscriptionState, now: number): NewSubscriptionEvent[] {
  if (state.status !== 'incomplete' || now < state.created + INCOMPLETE_EXPIRY_SECONDS) return [];
  return [
    { type: 'status_changed', at: now, data: { status: 'incomplete_expired', reason: 'first_invoice_not_paid_in_23h' } },
  ];
}

/**
 * `subscription.trial_end`: a trialing subscription whose trial is over. When a cancellation is
 * pending by then (cancel_at_period_end during the trial: its period ends with the trial), the
 * trial's end is the subscription's end: `canceled`, never a first paid period (Stripe bills
 * nothing then), whichever of the two rows of that instant runs first.
 */
export function decideTrialEnd(
  state: SubscriptionState,
  events: readonly SubscriptionEvent[],
  now: number,
): NewSubscriptionEvent[] {
  if (state.status !== 'trialing' || state.trial_end === null || now < state.trial_end) return [];
  const cancelAt = pendingCancelAt(events);
  if (cancelAt !== null && cancelAt <= now) {
    return [{ type: 'canceled', at: now, data: { effective_at: cancelAt, prorate: false, invoice_now: false } }];
  }
  return [{ type: 'trial_ended', at: now, data: {} }];
}

/**
 * `subscription.cancel_at_period_end`: the pending cancellation, once its instant has come. A row
 * left from a cancellation taken back (or moved) finds nothing pending at its instant and does
 * nothing.
 */
export function decideCancelAtPeriodEnd(
  state: SubscriptionState,
  events: readonly SubscriptionEvent[],
  now: number,
): NewSubscriptionEvent[] {
  const cancelAt = pendingCancelAt(events);
  if (isEnded(state.status) || cancelAt === null || now < cancelAt) return [];
  return [{ type: 'canceled', at: now, data: { effective_at: cancelAt, prorate: false, invoice_now: false } }];
}
