import type { DunningFinalAction, InvoiceStatus, SubscriptionStatus } from '@payflow/contracts';
import { StreamBuilder, price, seconds } from '../invoice-generation/testing/stream-builder';
import { foldSubscription } from '../subscriptions/subscription-stream';
import { planFinalAction } from './final-action-rules';

const T0 = seconds('2026-01-01T00:00:00Z');
const NOW = seconds('2026-02-15T00:00:00Z');
const items = [{ price: price('price_basic', 2000), quantity: 1 }];

const subscriptionIn = (status: SubscriptionStatus) =>
  foldSubscription(new StreamBuilder(T0, items).status(T0 + 60, 'active').status(seconds('2026-02-01T01:00:00Z'), status).stream);
const invoice = { status: 'open' as InvoiceStatus, billing_reason: 'subscription_cycle' as const, payment_pending: false };

const plan = (finalAction: DunningFinalAction, status: SubscriptionStatus = 'past_due', markUncollectible = false, over = {}) =>
  planFinalAction({ invoice: { ...invoice, ...over }, subscription: subscriptionIn(status), finalAction, markUncollectible, now: NOW });

describe('planFinalAction', () => {
  it('cancel: the subscription canceled now, without proration or invoice (the API cancel decision)', () => {
    expect(plan('cancel')).toEqual({
      outcome: 'applied',
      subscription: [{ type: 'canceled', at: NOW, data: { effective_at: NOW, prorate: false, invoice_now: false } }],
      markUncollectible: false,
      uncollectibleInFlight: false,
    });
    expect(plan('cancel', 'unpaid')).toMatchObject({ subscription: [{ type: 'canceled' }] });
  });

  it('cancel of a subscription already ended appends nothing', () => {
    expect(plan('cancel', 'canceled')).toMatchObject({ outcome: 'applied', subscription: [] });
    expect(plan('cancel', 'incomplete_expired')).toMatchObject({ outcome: 'applied', subscription: [] });
  });

  it('mark_unpaid: past_due (or active) → unpaid, reason dunning_exhausted; anything else unchanged', () => {
    for (const status of ['past_due', 'active'] as SubscriptionStatus[]) {
      expect(plan('mark_unpaid', status)).toMatchObject({
        subscription: [{ type: 'status_changed', at: NOW, data: { status: 'unpaid', reason: 'dunning_exhausted' } }],
      });
    }
    for (const status of ['unpaid', 'canceled', 'incomplete', 'incomplete_expired', 'trialing'] as SubscriptionStatus[]) {
      expect(plan('mark_unpaid', status)).toMatchObject({ outcome: 'applied', subscription: [] });
    }
  });

  it('leave_past_due: nothing to the subscription', () => {
    expect(plan('leave_past_due')).toMatchObject({ outcome: 'applied', subscription: [] });
  });

  it('mark_uncollectible on an open invoice with nothing in flight; left open while a payment is in flight', () => {
    expect(plan('leave_past_due', 'past_due', true)).toMatchObject({ markUncollectible: true, uncollectibleInFlight: false });
    expect(plan('cancel', 'past_due', true, { payment_pending: true })).toMatchObject({
      outcome: 'applied',
      subscription: [{ type: 'canceled' }],
      markUncollectible: false,
      uncollectibleInFlight: true,
    });
  });

  it('an invoice no longer open (paid, void, uncollectible) closed its case: nothing at all', () => {
    for (const status of ['paid', 'void', 'uncollectible', 'draft'] as InvoiceStatus[]) {
      expect(plan('cancel', 'past_due', true, { status })).toEqual({ outcome: 'not_open' });
    }
  });

  it("a subscription's first invoice never goes to dunning: nothing", () => {
    expect(plan('cancel', 'incomplete', true, { billing_reason: 'subscription_create' })).toEqual({ outcome: 'first_invoice' });
  });

  it('an invoice without a subscription: only the invoice', () => {
    expect(
      planFinalAction({ invoice: { ...invoice, billing_reason: 'manual' }, subscription: null, finalAction: 'cancel', markUncollectible: true, now: NOW }),
    ).toEqual({ outcome: 'applied', subscription: [], markUncollectible: true, uncollectibleInFlight: false });
  });
});
