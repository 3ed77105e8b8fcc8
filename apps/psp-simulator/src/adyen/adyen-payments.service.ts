import { Injectable } from '@nestjs/common';
import { WebhookDispatcher } from '../notifications/webhook-dispatcher';
import { adyenPspReference } from '../shared/ids';
import type { SimulatedResponse } from '../shared/simulated-response';
import { SimulatorStats } from '../shared/simulator-stats';
import { cardBehaviour } from '../shared/test-cards';
import { SimulatorConfig } from '../simulator.config';
import { adyenError, adyenValidationError } from './adyen-errors';
import { adyenNotificationWebhook, type AdyenNotificationEvent } from './adyen-notifications';
import type { AdyenAmount, AdyenModificationKind, AdyenPayment, AdyenRequestBody } from './adyen-objects';
import type { HeldPayment } from '../inspection/held-payment';

/** How Adyen words API.md's test declines: refusal reason, its code, and the raw acquirer answer. */
const REFUSALS: Record<
  'generic' | 'insufficient_funds' | 'lost_card',
  { refusalReason: string; refusalReasonCode: string; raw: string }
> = {
  generic: { refusalReason: 'Refused', refusalReasonCode: '2', raw: '05 : Do not honor' },
  insufficient_funds: {
    refusalReason: 'Not enough balance',
    refusalReasonCode: '12',
    raw: '51 : Insufficient funds',
  },
  lost_card: { refusalReason: 'Blocked Card', refusalReasonCode: '5', raw: '41 : Lost card' },
};

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function amountOf(body: AdyenRequestBody): AdyenAmount | undefined {
  const value = body.amount?.value;
  const currency = body.amount?.currency;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return undefined;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) return undefined;
  return { value, currency };
}

/**
 * Adyen Checkout payments and modifications, in memory. `/payments` answers the outcome at once
 * (Authorised / Refused with refusal reason); captures, refunds and cancels answer `received` and
 * report their outcome by webhook (CAPTURE, REFUND, CANCELLATION with `success`), like Adyen. The
 * state changes when the modification is accepted, so a later refund sees an earlier capture.
 */
@Injectable()
export class AdyenPaymentsService {
  private readonly payments = new Map<string, AdyenPayment>();

  constructor(
    private readonly config: SimulatorConfig,
    private readonly webhooks: WebhookDispatcher,
    private readonly stats: SimulatorStats,
  ) {}

  pay(body: AdyenRequestBody): SimulatedResponse {
    const merchantAccount = stringOf(body.merchantAccount);
    if (!merchantAccount)
      return adyenError(403, '901', 'Invalid Merchant Account', 'security', { replayable: false });
    const amount = amountOf(body);
    if (!amount) return adyenValidationError('100', 'Required field amount is not provided or invalid.');
    const reference = stringOf(body.reference);
    if (!reference) return adyenValidationError('130', 'Required field reference is not provided.');
    const token = stringOf(body.paymentMethod?.storedPaymentMethodId);
    const card = cardBehaviour(token);
    if (!card)
      return adyenValidationError(
        '800',
        `Contract not found for stored payment method ${token ?? '(none)'}.`,
      );

    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(body.metadata ?? {}))
      if (typeof value === 'string') metadata[key] = value;
    const payment: AdyenPayment = {
      pspReference: adyenPspReference(),
      merchantAccount,
      amount,
      reference,
      merchantOrderReference: stringOf(body.merchantOrderReference),
      metadata,
      brand: card.kind === 'decline' ? 'visa' : card.brand,
      authorised: card.kind !== 'decline',
      manualCapture:
        body.additionalData?.['manualCapture'] === 'true' || body.additionalData?.['manualCapture'] === true,
      captured: 0,
      refunded: 0,
      cancelled: false,
    };
    this.payments.set(payment.pspReference, payment);

    const answer = {
      pspReference: payment.pspReference,
      merchantReference: reference,
      amount: { ...amount },
    };
    if (card.kind === 'decline') {
      const refusal = REFUSALS[card.decline];
      this.stats.count('adyen', 'authorization_declined');
      this.notify(payment, {
        eventCode: 'AUTHORISATION',
        success: false,
        pspReference: payment.pspReference,
        merchantReference: reference,
        amount,
        reason: refusal.refusalReason,
      });
      return {
        status: 200,
        body: {
          ...answer,
          resultCode: 'Refused',
          refusalReason: refusal.refusalReason,
          refusalReasonCode: refusal.refusalReasonCode,
          additionalData: { refusalReasonRaw: refusal.raw },
        },
      };
    }
    // Without manual capture Adyen captures by itself (captureDelayHours 0): the full amount.
    if (!payment.manualCapture) payment.captured = amount.value;
    this.stats.charge('adyen', reference, metadata['payflow_intent_id']);
    this.stats.count('adyen', 'authorization_succeeded');
    this.notify(payment, {
      eventCode: 'AUTHORISATION',
      success: true,
      pspReference: payment.pspReference,
      merchantReference: reference,
      amount,
    });
    return {
      status: 200,
      body: {
        ...answer,
        resultCode: 'Authorised',
        additionalData: { authCode: '012345', paymentMethod: payment.brand },
      },
      lateByMs: card.kind === 'slow' ? this.config.SIMULATOR_SLOW_RESPONSE_MS : undefined,
    };
  }

  modify(
    kind: AdyenModificationKind,
    paymentPspReference: string,
    body: AdyenRequestBody,
  ): SimulatedResponse {
    const merchantAccount = stringOf(body.merchantAccount);
    if (!merchantAccount)
      return adyenError(403, '901', 'Invalid Merchant Account', 'security', { replayable: false });
    const payment = this.payments.get(paymentPspReference);
    if (!payment || payment.merchantAccount !== merchantAccount) {
      return adyenValidationError('167', 'Original pspReference required for this operation');
    }
    const amount = kind === 'cancel' ? { ...payment.amount } : amountOf(body);
    if (!amount) return adyenValidationError('100', 'Required field amount is not provided or invalid.');
    if (amount.currency !== payment.amount.currency)
      return adyenValidationError('101', 'Currency of the modification differs from the payment.');

    const outcome = this.apply(kind, payment, amount.value);
    const pspReference = adyenPspReference();
    const reference = stringOf(body.reference) ?? '';
    this.stats.count('adyen', outcome.success ? kind : `${kind}_failed`);
    this.notify(payment, {
      eventCode: kind === 'capture' ? 'CAPTURE' : kind === 'refund' ? 'REFUND' : 'CANCELLATION',
      success: outcome.success,
      pspReference,
      originalReference: payment.pspReference,
      merchantReference: reference,
      amount,
      reason: outcome.reason,
    });
    return {
      status: 201,
      body: {
        merchantAccount,
        paymentPspReference: payment.pspReference,
        pspReference,
        ...(reference ? { reference } : {}),
        status: 'received',
        ...(kind === 'cancel' ? {} : { amount }),
      },
    };
  }

  /** Adyen's accounting rules: capture at most what is authorised, refund at most what is captured. */
  private apply(
    kind: AdyenModificationKind,
    payment: AdyenPayment,
    value: number,
  ): { success: boolean; reason?: string } {
    if (!payment.authorised) return { success: false, reason: 'Payment was not authorised' };
    switch (kind) {
      case 'capture': {
        if (payment.cancelled) return { success: false, reason: 'Payment was cancelled' };
        if (!payment.manualCapture)
          return { success: false, reason: 'Payment was already captured automatically' };
        if (value < 1 || payment.captured + value > payment.amount.value)
          return { success: false, reason: 'Insufficient authorised amount' };
        payment.captured += value;
        return { success: true };
      }
      case 'refund': {
        if (value < 1 || payment.refunded + value > payment.captured)
          return { success: false, reason: 'Insufficient captured amount to refund' };
        payment.refunded += value;
        return { success: true };
      }
      case 'cancel': {
        if (payment.cancelled) return { success: true };
        if (payment.captured > 0) return { success: false, reason: 'Payment was already captured' };
        payment.cancelled = true;
        return { success: true };
      }
    }
  }

  private notify(payment: AdyenPayment, event: AdyenNotificationEvent): void {
    this.webhooks.dispatch(adyenNotificationWebhook(payment, event, this.config.ADYEN_HMAC_KEY));
  }

  /** What this PSP holds for each payment, for the chaos harness's invariants (read-only). */
  heldPayments(): HeldPayment[] {
    const payments: HeldPayment[] = [];
    for (const payment of this.payments.values()) {
      payments.push({
        provider: 'adyen',
        psp_reference: payment.pspReference,
        intent_id: payment.metadata['payflow_intent_id'] ?? payment.merchantOrderReference ?? null,
        attempt_id: payment.metadata['payflow_attempt_id'] ?? payment.reference,
        amount: payment.amount.value,
        currency: payment.amount.currency,
        authorized: payment.authorised,
        captured: payment.captured,
        refunded: payment.refunded,
        canceled: payment.cancelled,
      });
    }
    return payments;
  }
}
