// Valid sample events for this library's specs (not exported: each service owns its fixtures).
import type { PaymentIntentObject } from '../objects/payment-intent.object';
import type { RefundObject } from '../objects/refund.object';

export function sampleIntent(overrides: Partial<PaymentIntentObject> = {}): PaymentIntentObject {
  return {
    id: 'pi_3f9a1c',
    object: 'payment_intent',
    merchant_id: 'mer_42',
    amount: 10000,
    currency: 'USD',
    status: 'captured',
    capture_method: 'manual',
    amount_capturable: 0,
    amount_received: 10000,
    amount_refunded: 0,
    payment_method: 'pm_card_visa',
    provider: 'stripe',
    last_error: null,
    description: null,
    metadata: { order: '1234' },
    created: '2026-03-01T12:00:00.000Z',
    updated: '2026-03-01T12:00:05.000Z',
    ...overrides,
  };
}

export function sampleRefund(overrides: Partial<RefundObject> = {}): RefundObject {
  return {
    id: 're_77',
    object: 'refund',
    payment_intent: 'pi_3f9a1c',
    amount: 2500,
    currency: 'USD',
    status: 'succeeded',
    reason: null,
    created: '2026-03-02T08:00:00.000Z',
    ...overrides,
  };
}

export function sampleEnvelope<TData>(type: string, data: TData, overrides: Record<string, unknown> = {}) {
  return {
    id: '0b6f3c2e-8d4a-4f1b-9c3e-2a7d5e6f8a90',
    type,
    schema_version: 1,
    source: 'intents',
    aggregate_type: 'payment_intent',
    aggregate_id: 'pi_3f9a1c',
    aggregate_version: 4,
    merchant_id: 'mer_42',
    occurred_at: '2026-03-01T12:00:05.000Z',
    correlation_id: 'req_abc',
    causation_id: '5a1d2e3f-4b5c-4d6e-8f70-8192a3b4c5d6',
    data,
    ...overrides,
  };
}

export function sampleCapturedEvent() {
  return sampleEnvelope('payment_intent.captured', {
    intent: sampleIntent(),
    provider: 'stripe',
    amount_captured: 10000,
    fee_bps: 290,
    fee_fixed: 30,
  });
}

export function samplePspNotificationEvent() {
  return sampleEnvelope(
    'psp.notification_received',
    {
      provider: 'adyen',
      psp_event_id: 'AUTHORISATION:8815329842815468',
      psp_reference: '8815329842815468',
      kind: 'authorization',
      success: true,
      amount: 10000,
      currency: 'EUR',
      intent_id: 'pi_3f9a1c',
      attempt_id: 'att_1',
    },
    {
      source: 'webhooks',
      aggregate_type: 'psp_notification',
      aggregate_id: 'AUTHORISATION:8815329842815468',
      aggregate_version: 0,
    },
  );
}
