import { MERCHANT_EVENT_TYPES } from '@payflow/api';
import { BILLING_EVENT_TYPES, INTENTS_EVENT_TYPES } from '@payflow/contracts';
import { MERCHANT_EVENT_TYPE_OF, merchantEventTypeOf, toMerchantEvent } from './merchant-event-mapping';

const intent = {
  id: 'pi_1',
  object: 'payment_intent',
  merchant_id: 'mer_1',
  amount: 1000,
  currency: 'USD',
  status: 'captured',
} as const;
const refund = {
  id: 're_1',
  object: 'refund',
  payment_intent: 'pi_1',
  amount: 500,
  currency: 'USD',
  status: 'pending',
} as const;

function envelope(type: string, data: unknown) {
  return {
    id: '0b6f3c2e-8d4a-4f1b-9c3e-2a7d5e6f8a90',
    type,
    schema_version: 1,
    source: 'intents',
    aggregate_type: 'payment_intent',
    aggregate_id: 'pi_1',
    aggregate_version: 3,
    merchant_id: 'mer_1',
    occurred_at: '2026-03-01T12:00:05.000Z',
    correlation_id: null,
    causation_id: null,
    data,
  };
}

describe('internal → merchant event types (API.md)', () => {
  it('maps exactly the documented types', () => {
    expect(MERCHANT_EVENT_TYPE_OF).toEqual({
      'payment_intent.created': 'payment_intent.created',
      'payment_intent.authorized': 'payment_intent.authorized',
      'payment_intent.captured': 'payment_intent.succeeded',
      'payment_intent.authorization_failed': 'payment_intent.payment_failed',
      'payment_intent.canceled': 'payment_intent.canceled',
      'refund.requested': 'refund.created',
      'refund.succeeded': 'refund.succeeded',
      'refund.failed': 'refund.failed',
      'payment_intent.capture_reversed': 'payment_intent.payment_failed',
      'refund.reversed': 'refund.failed',
      'invoice.finalized': 'invoice.finalized',
      'invoice.paid': 'invoice.paid',
      'invoice.payment_failed': 'invoice.payment_failed',
      'invoice.voided': 'invoice.voided',
      'invoice.marked_uncollectible': 'invoice.marked_uncollectible',
      'subscription.created': 'customer.subscription.created',
      'subscription.updated': 'customer.subscription.updated',
      'subscription.status_changed': 'customer.subscription.updated',
      'subscription.canceled': 'customer.subscription.deleted',
    });
  });

  it("sends none of billing's commands and clock steps", () => {
    const unsent = BILLING_EVENT_TYPES.filter((type) => merchantEventTypeOf(type) === null);
    expect(unsent).toEqual([
      'invoice.payment_requested',
      'customer.payment_method_updated',
      'test_clock.advanced',
    ]);
    expect(merchantEventTypeOf('invoice.payment_request_rejected')).toBeNull();
  });

  it('sends no *_requested step nor capture/cancel failures', () => {
    const unsent = INTENTS_EVENT_TYPES.filter((type) => merchantEventTypeOf(type) === null);
    expect(unsent).toEqual([
      'payment_intent.authorization_requested',
      'payment_intent.capture_requested',
      'payment_intent.capture_failed',
      'payment_intent.cancel_requested',
      'payment_intent.cancel_failed',
      'payment_intent.late_success_detected',
      'payment_intent.late_success_reversed',
      'invoice.payment_request_rejected',
    ]);
    expect(merchantEventTypeOf('payment.captured')).toBeNull();
    expect(merchantEventTypeOf('toString')).toBeNull();
  });

  it('covers every public merchant event type', () => {
    expect(new Set(Object.values(MERCHANT_EVENT_TYPE_OF))).toEqual(new Set(MERCHANT_EVENT_TYPES));
  });
});

describe('toMerchantEvent', () => {
  it('wraps the public intent of a payment_intent.* event', () => {
    expect(
      toMerchantEvent('evt_1', envelope('payment_intent.captured', { intent, provider: 'stripe' })),
    ).toEqual({
      id: 'evt_1',
      object: 'event',
      type: 'payment_intent.succeeded',
      created: '2026-03-01T12:00:05.000Z',
      data: { object: intent },
    });
  });

  it('wraps the public refund of a refund.* event', () => {
    expect(
      toMerchantEvent('evt_2', envelope('refund.requested', { refund, provider: 'stripe', amount: 500 })),
    ).toMatchObject({
      type: 'refund.created',
      data: { object: refund },
    });
  });

  it('builds nothing for unsent types or an event without its object', () => {
    expect(toMerchantEvent('evt_3', envelope('payment_intent.capture_requested', { intent }))).toBeNull();
    expect(toMerchantEvent('evt_4', envelope('refund.succeeded', { intent }))).toBeNull();
  });
});

describe('toMerchantEvent for billing', () => {
  const invoice = { id: 'in_1', object: 'invoice', status: 'paid', customer: 'cus_1', subscription: 'sub_1' };
  const subscription = { id: 'sub_1', object: 'subscription', status: 'active', customer: 'cus_1' };
  const billing = (type: string, data: unknown) => ({
    ...envelope(type, data),
    source: 'billing',
    aggregate_type: type.split('.')[0],
    aggregate_id: 'sub_1',
  });

  it.each([
    ['invoice.finalized', 'invoice.finalized'],
    ['invoice.paid', 'invoice.paid'],
    ['invoice.voided', 'invoice.voided'],
    ['invoice.marked_uncollectible', 'invoice.marked_uncollectible'],
  ])('wraps the public invoice of %s as %s', (internal, merchant) => {
    expect(toMerchantEvent('evt_5', billing(internal, { invoice, test_clock: null }))).toEqual({
      id: 'evt_5',
      object: 'event',
      type: merchant,
      created: '2026-03-01T12:00:05.000Z',
      data: { object: invoice },
    });
  });

  it('wraps the invoice of a failed payment, without the decline details beside it', () => {
    const event = toMerchantEvent(
      'evt_6',
      billing('invoice.payment_failed', {
        invoice,
        attempt: 1,
        code: 'card_declined',
        decline_code: 'generic_decline',
      }),
    );
    expect(event).toMatchObject({ type: 'invoice.payment_failed', data: { object: invoice } });
    expect(Object.keys(event!.data)).toEqual(['object']);
  });

  it.each([
    ['subscription.created', 'customer.subscription.created'],
    ['subscription.updated', 'customer.subscription.updated'],
    ['subscription.status_changed', 'customer.subscription.updated'],
    ['subscription.canceled', 'customer.subscription.deleted'],
  ])('wraps the public subscription of %s as %s', (internal, merchant) => {
    expect(
      toMerchantEvent(
        'evt_7',
        billing(internal, { subscription, previous_status: 'incomplete', reason: 'paid' }),
      ),
    ).toMatchObject({ type: merchant, data: { object: subscription } });
  });

  it('builds nothing for an unsent billing type or one without its object', () => {
    expect(toMerchantEvent('evt_8', billing('invoice.payment_requested', { invoice }))).toBeNull();
    expect(toMerchantEvent('evt_9', billing('test_clock.advanced', { clock: 'clock_1' }))).toBeNull();
    expect(toMerchantEvent('evt_10', billing('invoice.paid', { subscription }))).toBeNull();
    expect(toMerchantEvent('evt_11', billing('subscription.created', { invoice }))).toBeNull();
  });
});
