import { randomBytes } from 'node:crypto';
import { EventEnvelope, PaymentIntentObject, createEvent } from '@payflow/contracts';
import { MoneyEvent } from '../src/posting-rules';

export const newId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;

/** Builds the intents service's money events as it will publish them (libs/contracts shapes). */
export class IntentStory {
  private version = 0;
  readonly intent: PaymentIntentObject;

  constructor(
    readonly merchantId: string,
    amount: number,
    currency: string,
    readonly provider: 'stripe' | 'adyen' = 'stripe',
  ) {
    const now = new Date().toISOString();
    this.intent = {
      id: newId('pi'), object: 'payment_intent', merchant_id: merchantId, amount, currency, status: 'created',
      capture_method: 'manual', amount_capturable: 0, amount_received: 0, amount_refunded: 0,
      payment_method: 'pm_card_visa', provider, last_error: null, description: null, metadata: {}, created: now, updated: now,
    };
  }

  private envelope() {
    return {
      source: 'intents', aggregate_type: 'payment_intent', aggregate_id: this.intent.id,
      aggregate_version: ++this.version, merchant_id: this.merchantId,
    };
  }

  authorized(amount = this.intent.amount): MoneyEvent {
    return createEvent({
      ...this.envelope(), type: 'payment_intent.authorized',
      data: { intent: { ...this.intent, status: 'authorized', amount_capturable: amount }, provider: this.provider, amount_authorized: amount },
    }) as MoneyEvent;
  }

  captured(amount: number, feeBps = 290, feeFixed = 30): MoneyEvent {
    return createEvent({
      ...this.envelope(), type: 'payment_intent.captured',
      data: {
        intent: { ...this.intent, status: 'captured', amount_received: amount },
        provider: this.provider, amount_captured: amount, fee_bps: feeBps, fee_fixed: feeFixed,
      },
    }) as MoneyEvent;
  }

  canceled(reason = 'requested_by_customer'): MoneyEvent {
    return createEvent({
      ...this.envelope(), type: 'payment_intent.canceled',
      data: { intent: { ...this.intent, status: 'canceled' }, provider: this.provider, reason },
    }) as MoneyEvent;
  }

  refundSucceeded(amount: number): MoneyEvent {
    const refund = {
      id: newId('re'), object: 'refund' as const, payment_intent: this.intent.id, amount, currency: this.intent.currency,
      status: 'succeeded' as const, reason: null, created: new Date().toISOString(),
    };
    return createEvent({
      ...this.envelope(), type: 'refund.succeeded', data: { refund, provider: this.provider, amount, reason: null },
    }) as MoneyEvent;
  }
}

export type { EventEnvelope };
