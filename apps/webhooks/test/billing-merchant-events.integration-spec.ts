import { randomBytes } from 'node:crypto';
import {
  TOPICS,
  createEvent,
  validateEvent,
  type EventOf,
  type InvoiceObject,
  type SubscriptionObject,
} from '@payflow/contracts';
import { wireTopic } from '@payflow/platform/testing';
import { Json, TestReceiver, WebhooksFixture, newMerchant, waitFor } from './webhooks-fixture';

const hex = () => randomBytes(12).toString('hex');

function subscriptionOf(customer: string, status: SubscriptionObject['status']): SubscriptionObject {
  return {
    id: `sub_${hex()}`,
    object: 'subscription',
    customer,
    status,
    items: [{ price: `price_${hex()}`, quantity: 1 }],
    billing_cycle_anchor: '2026-03-01T00:00:00.000Z',
    current_period_start: '2026-03-01T00:00:00.000Z',
    current_period_end: '2026-04-01T00:00:00.000Z',
    trial_end: null,
    cancel_at_period_end: false,
    canceled_at: null,
    latest_invoice: null,
    created: '2026-03-01T00:00:00.000Z',
  };
}

function invoiceOf(subscription: SubscriptionObject): InvoiceObject {
  return {
    id: `in_${hex()}`,
    object: 'invoice',
    number: 'ACME-000001',
    customer: subscription.customer,
    subscription: subscription.id,
    status: 'paid',
    currency: 'USD',
    lines: [],
    subtotal: 2000,
    starting_balance: 0,
    total: 2000,
    amount_due: 2000,
    amount_paid: 2000,
    attempt_count: 1,
    next_payment_attempt: null,
    payment_intent: `pi_${hex()}`,
    period_start: '2026-03-01T00:00:00.000Z',
    period_end: '2026-04-01T00:00:00.000Z',
    created: '2026-03-01T00:00:00.000Z',
    finalized_at: '2026-03-01T00:00:00.000Z',
    paid_at: '2026-03-01T00:00:05.000Z',
  };
}

/** Billing's invoices and subscriptions reach merchants as API.md names them, from payflow.billing.v1. */
describe('webhooks: merchant events from billing', () => {
  const fx = new WebhooksFixture();
  let target: TestReceiver;

  beforeAll(async () => {
    await fx.start({ WEBHOOK_ALLOW_INSECURE_URLS: 'true' });
    target = await new TestReceiver().start();
  });
  afterAll(async () => {
    await target?.stop();
    await fx.stop();
  });

  const billingEvent = <
    T extends
      'invoice.paid' | 'subscription.status_changed' | 'subscription.canceled' | 'invoice.payment_requested',
  >(
    type: T,
    merchant: string,
    subscription: SubscriptionObject,
    data: Record<string, unknown>,
  ): EventOf<T> =>
    createEvent({
      type,
      source: 'billing',
      aggregate_type: type.split('.')[0],
      aggregate_id: subscription.id,
      aggregate_version: 2,
      merchant_id: merchant,
      data,
    } as Parameters<typeof createEvent<T>>[0]) as EventOf<T>;

  async function publishBilling(
    ...events: EventOf<
      'invoice.paid' | 'subscription.status_changed' | 'subscription.canceled' | 'invoice.payment_requested'
    >[]
  ) {
    for (const event of events) expect(validateEvent(event)).toMatchObject({ ok: true });
    await fx.producer.send({
      topic: wireTopic(TOPICS.billing),
      messages: events.map((event) => ({
        key: event.aggregate_id,
        value: JSON.stringify(event),
        headers: { 'event-id': event.id, 'event-type': event.type },
      })),
    });
  }

  it('delivers invoice.paid and customer.subscription.* with the public object, and sends no payment request', async () => {
    const merchant = newMerchant();
    await fx.createEndpoint(merchant, { url: target.url, enabled_events: ['*'] });
    const subscription = subscriptionOf(`cus_${hex()}`, 'active');
    const invoice = invoiceOf(subscription);
    await publishBilling(
      billingEvent('invoice.payment_requested', merchant, subscription, {
        invoice: { ...invoice, status: 'open', amount_paid: 0, paid_at: null },
        attempt: 1,
        payment_method: 'pm_card_visa',
        amount: 2000,
        currency: 'USD',
        customer: subscription.customer,
        off_session: true,
      }),
      billingEvent('invoice.paid', merchant, subscription, { invoice }),
      billingEvent('subscription.status_changed', merchant, subscription, {
        subscription,
        previous_status: 'incomplete',
        reason: 'first_invoice_paid',
      }),
      billingEvent('subscription.canceled', merchant, subscription, {
        subscription: { ...subscription, status: 'canceled' },
      }),
    );

    const received = await waitFor(
      () =>
        target.received.filter((r) => r.body.includes(subscription.id)).length >= 3 ? target.received : null,
      { what: 'three deliveries' },
    );
    const events: Json[] = received
      .filter((r) => r.body.includes(subscription.id))
      .map((r) => JSON.parse(r.body));
    expect(events.map((e) => e.type).sort()).toEqual([
      'customer.subscription.deleted',
      'customer.subscription.updated',
      'invoice.paid',
    ]);
    expect(events.find((e) => e.type === 'invoice.paid').data).toEqual({ object: invoice });
    expect(events.find((e) => e.type === 'customer.subscription.updated').data).toEqual({
      object: subscription,
    });

    const listed = await fx.call('GET', '/internal/v1/events?type=invoice.paid', { merchant });
    expect(listed.body.data.map((e: Json) => e.data.object.id)).toEqual([invoice.id]);
    const all = await fx.call('GET', '/internal/v1/events?limit=100', { merchant });
    expect(all.body.data).toHaveLength(3);
  });
});
