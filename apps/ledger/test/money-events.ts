import { randomBytes } from 'node:crypto';
import { EventEnvelope, PaymentIntentObject, RefundObject, createEvent } from '@payflow/contracts';
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
      id: newId('pi'),
      object: 'payment_intent',
      merchant_id: merchantId,
      amount,
      currency,
      status: 'created',
      capture_method: 'manual',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      payment_method: 'pm_card_visa',
      provider,
      last_error: null,
      description: null,
      metadata: {},
      created: now,
      updated: now,
    };
  }

  private envelope() {
    return {
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: this.intent.id,
      aggregate_version: ++this.version,
      merchant_id: this.merchantId,
    };
  }

  authorized(amount = this.intent.amount): MoneyEvent {
    return createEvent({
      ...this.envelope(),
      type: 'payment_intent.authorized',
      data: {
        intent: { ...this.intent, status: 'authorized', amount_capturable: amount },
        provider: this.provider,
        amount_authorized: amount,
      },
    }) as MoneyEvent;
  }

  captured(amount: number, feeBps = 290, feeFixed = 30): MoneyEvent {
    return createEvent({
      ...this.envelope(),
      type: 'payment_intent.captured',
      data: {
        intent: { ...this.intent, status: 'captured', amount_received: amount },
        provider: this.provider,
        amount_captured: amount,
        fee_bps: feeBps,
        fee_fixed: feeFixed,
      },
    }) as MoneyEvent;
  }

  canceled(reason = 'requested_by_customer'): MoneyEvent {
    return createEvent({
      ...this.envelope(),
      type: 'payment_intent.canceled',
      data: { intent: { ...this.intent, status: 'canceled' }, provider: this.provider, reason },
    }) as MoneyEvent;
  }

  /** Refunds by id, for their reversal. */
  private readonly refunds = new Map<string, RefundObject>();
  lastRefundId = '';

  refundSucceeded(amount: number): MoneyEvent {
    const refund = {
      id: newId('re'),
      object: 'refund' as const,
      payment_intent: this.intent.id,
      amount,
      currency: this.intent.currency,
      status: 'succeeded' as const,
      reason: null,
      created: new Date().toISOString(),
    };
    this.refunds.set(refund.id, refund);
    this.lastRefundId = refund.id;
    return createEvent({
      ...this.envelope(),
      type: 'refund.succeeded',
      data: { refund, provider: this.provider, amount, reason: null },
    }) as MoneyEvent;
  }

  /** refund.reversed of a refund this story succeeded (the last one by default). */
  refundReversed(refundId = this.lastRefundId): MoneyEvent {
    const refund = { ...this.refunds.get(refundId)!, status: 'failed' as const };
    return createEvent({
      ...this.envelope(),
      type: 'refund.reversed',
      data: {
        refund,
        provider: this.provider,
        amount: refund.amount,
        reason: null,
        code: 'refund_failed',
        message: 'Refund failed',
      },
    }) as MoneyEvent;
  }

  captureReversed(amount: number, feeBps = 290, feeFixed = 30): MoneyEvent {
    return createEvent({
      ...this.envelope(),
      type: 'payment_intent.capture_reversed',
      data: {
        intent: { ...this.intent, status: 'failed', amount_received: 0 },
        provider: this.provider,
        amount_reversed: amount,
        fee_bps: feeBps,
        fee_fixed: feeFixed,
        code: 'capture_reversed',
        message: 'Capture failed',
      },
    }) as MoneyEvent;
  }

  lateSuccess(detected: boolean, amountCaptured: number, amountAuthorized = this.intent.amount): MoneyEvent {
    return createEvent({
      ...this.envelope(),
      type: detected ? 'payment_intent.late_success_detected' : 'payment_intent.late_success_reversed',
      data: {
        intent: { ...this.intent, status: 'failed' },
        provider: this.provider,
        psp_reference: 'pi_psp_late',
        attempt_id: 'att_late',
        amount_authorized: amountAuthorized,
        amount_captured: amountCaptured,
        reversal: amountCaptured > 0 ? 'refund' : 'void',
      },
    }) as MoneyEvent;
  }
}

export type { EventEnvelope };
