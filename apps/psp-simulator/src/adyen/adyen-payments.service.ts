import { Injectable } from '@nestjs/common';
import { FaultInjector } from '../faults/fault-injector';
import { heldPaymentStatus, type HeldPayment } from '../inspection/held-payment';
import { WebhookDispatcher } from '../notifications/webhook-dispatcher';
import { AuthorizationCounts } from '../shared/authorization-counts';
import { adyenPspReference } from '../shared/ids';
import { adyenPayflowIds } from '../shared/payflow-reference';
import { Scheduler } from '../shared/scheduler';
import type { SimulatedResponse } from '../shared/simulated-response';
import { SimulatorStats } from '../shared/simulator-stats';
import { adyenPaymentMethodOf, cardBehaviour, DECLINES, resolveCard } from '../shared/test-cards';
import { SimulatorConfig } from '../simulator.config';
import { adyenError, adyenValidationError } from './adyen-errors';
import {
  adyenNotificationWebhook,
  notificationContextOf,
  type AdyenNotificationContext,
  type AdyenNotificationEvent,
} from './adyen-notifications';
import type {
  AdyenAmount,
  AdyenModificationKind,
  AdyenPayment,
  AdyenRequestBody,
  AdyenTechnicalCancelBody,
} from './adyen-objects';

/** Adyen's reason when a technical cancel comes after the payment was captured. */
export const ALREADY_CAPTURED_REASON = 'Payment already captured';

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
 * report their outcome by webhook (CAPTURE, REFUND, CANCELLATION with `success`), like Adyen; a
 * technical cancel (`/cancels`) finds the payment by its merchant reference. The state changes
 * when the modification is accepted, so a later refund sees an earlier capture. A capture or refund
 * may fail after succeeding (CAPTURE_FAILED, REFUND_FAILED, REFUNDED_REVERSED), a little later.
 * There is no call that reads a payment back, as on Adyen.
 */
@Injectable()
export class AdyenPaymentsService {
  private readonly payments = new Map<string, AdyenPayment>();
  /** Payments by their merchant reference, oldest first (for technical cancels). */
  private readonly byReference = new Map<string, AdyenPayment[]>();

  constructor(
    private readonly config: SimulatorConfig,
    private readonly webhooks: WebhookDispatcher,
    private readonly stats: SimulatorStats,
    private readonly counts: AuthorizationCounts,
    private readonly faults: FaultInjector,
    private readonly scheduler: Scheduler,
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
    const behaviour = cardBehaviour(token);
    if (!behaviour)
      return adyenValidationError(
        '800',
        `Contract not found for stored payment method ${token ?? '(none)'}.`,
      );

    const metadata: Record<string, string> = {};
    for (const [key, value] of Object.entries(body.metadata ?? {}))
      if (typeof value === 'string') metadata[key] = value;
    const merchantOrderReference = stringOf(body.merchantOrderReference);
    const ids = adyenPayflowIds(reference, metadata, merchantOrderReference);
    const card = resolveCard(behaviour, this.counts.next(ids.intentId));
    const refusal = card.kind === 'decline' ? DECLINES[card.decline].adyen : undefined;
    const payment: AdyenPayment = {
      pspReference: adyenPspReference(),
      merchantAccount,
      amount,
      reference,
      merchantOrderReference,
      metadata,
      intentId: ids.intentId,
      attemptId: ids.attemptId,
      brand: adyenPaymentMethodOf(card.network),
      later: card.kind === 'approve' ? card.later : undefined,
      authorised: card.kind !== 'decline',
      manualCapture:
        body.additionalData?.['manualCapture'] === 'true' || body.additionalData?.['manualCapture'] === true,
      shopperInteraction: stringOf(body.shopperInteraction) ?? null,
      recurringProcessingModel: stringOf(body.recurringProcessingModel) ?? null,
      captured: 0,
      refunded: 0,
      cancelled: false,
      failedCaptures: 0,
      failedRefunds: 0,
      standingRefunds: [],
      refusal,
    };
    this.payments.set(payment.pspReference, payment);
    this.byReference.set(reference, [...(this.byReference.get(reference) ?? []), payment]);

    const answer = {
      pspReference: payment.pspReference,
      merchantReference: reference,
      amount: { ...amount },
      // Checkout v71 names the card's brand here too (besides additionalData.paymentMethod).
      paymentMethod: { brand: payment.brand, type: 'scheme' },
    };
    if (refusal) {
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
          additionalData: {
            refusalReasonRaw: refusal.refusalReasonRaw,
            ...(refusal.merchantAdviceCode ? { merchantAdviceCode: refusal.merchantAdviceCode } : {}),
            paymentMethod: payment.brand,
          },
        },
      };
    }
    // Without manual capture Adyen captures by itself (captureDelayHours 0): the full amount.
    if (!payment.manualCapture) payment.captured = amount.value;
    this.stats.charge(
      'adyen',
      [reference, ...(ids.attemptId ? [ids.attemptId] : [])],
      ids.intentId ?? undefined,
    );
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
    const event: AdyenNotificationEvent = {
      eventCode: kind === 'capture' ? 'CAPTURE' : kind === 'refund' ? 'REFUND' : 'CANCELLATION',
      success: outcome.success,
      pspReference,
      originalReference: payment.pspReference,
      merchantReference: reference,
      amount,
      reason: outcome.reason,
    };
    this.notify(payment, event);
    if (outcome.success) this.maybeFailLater(kind, payment, event);
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

  /**
   * `POST /cancels`: Adyen's technical cancel, by the merchant reference of a payment whose
   * pspReference the merchant never learnt. Answers `received`; the outcome comes as a
   * TECHNICAL_CANCEL notification per payment found: success when voided (or nothing was held),
   * refused with "Payment already captured" once captured. With no payment under that reference,
   * one TECHNICAL_CANCEL with success and no originalReference: nothing is held.
   */
  technicalCancel(body: AdyenTechnicalCancelBody): SimulatedResponse {
    const merchantAccount = stringOf(body.merchantAccount);
    if (!merchantAccount)
      return adyenError(403, '901', 'Invalid Merchant Account', 'security', { replayable: false });
    const paymentReference = stringOf(body.paymentReference);
    if (!paymentReference)
      return adyenValidationError('130', 'Required field paymentReference is not provided.');
    const reference = stringOf(body.reference) ?? '';
    const pspReference = adyenPspReference();
    const payments = (this.byReference.get(paymentReference) ?? []).filter(
      (payment) => payment.merchantAccount === merchantAccount,
    );
    this.stats.count('adyen', 'technical_cancel');
    if (payments.length === 0) {
      const context: AdyenNotificationContext = { merchantAccount, additionalData: {} };
      this.webhooks.dispatch(
        adyenNotificationWebhook(
          context,
          {
            eventCode: 'TECHNICAL_CANCEL',
            success: true,
            pspReference,
            merchantReference: reference,
            // Adyen needs an amount on every item; nothing was found, so nothing is moved.
            amount: { value: 0, currency: 'EUR' },
          },
          this.config.ADYEN_HMAC_KEY,
        ),
      );
    }
    for (const payment of payments) {
      const outcome = this.voidByReference(payment);
      this.stats.count('adyen', outcome.success ? 'technical_cancel_succeeded' : 'technical_cancel_refused');
      this.notify(payment, {
        eventCode: 'TECHNICAL_CANCEL',
        success: outcome.success,
        pspReference,
        originalReference: payment.pspReference,
        merchantReference: reference,
        amount: { ...payment.amount },
        reason: outcome.reason,
      });
    }
    return {
      status: 201,
      body: {
        merchantAccount,
        paymentReference,
        pspReference,
        ...(reference ? { reference } : {}),
        status: 'received',
      },
    };
  }

  private voidByReference(payment: AdyenPayment): { success: boolean; reason?: string } {
    if (!payment.authorised || payment.cancelled) return { success: true };
    if (payment.captured > 0) return { success: false, reason: ALREADY_CAPTURED_REASON };
    payment.cancelled = true;
    return { success: true };
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

  /**
   * A capture or refund that succeeded may fail afterwards, by its card (`pm_card_…FailsLater`) or
   * by the seeded faults: the money goes back and the failure's notification follows the success's.
   * The faults are drawn for every capture and refund that succeeds, so the seeded sequence does not depend on
   * the cards used.
   */
  private maybeFailLater(
    kind: AdyenModificationKind,
    payment: AdyenPayment,
    success: AdyenNotificationEvent,
  ): void {
    if (kind === 'capture') {
      const byFault = this.faults.decideCaptureFails('adyen');
      if (!byFault && payment.later !== 'capture_fails') return;
      this.scheduler.after(this.config.SIMULATOR_LATE_FAILURE_DELAY_MS, () => {
        payment.captured = Math.max(0, payment.captured - success.amount.value);
        payment.failedCaptures += 1;
        this.stats.count('adyen', 'capture_failed_later');
        this.notify(payment, {
          ...success,
          eventCode: 'CAPTURE_FAILED',
          success: true,
          reason: 'Capture failed',
        });
        // Nothing was captured, so the refunds made of it returned nothing: each fails after it
        // (as Adyen answers a refund of a payment with nothing captured).
        while (payment.refunded > payment.captured && payment.standingRefunds.length > 0) {
          this.failRefund(payment, payment.standingRefunds[payment.standingRefunds.length - 1], 'REFUND_FAILED');
        }
      });
      return;
    }
    if (kind !== 'refund') return;
    payment.standingRefunds.push(success);
    const fate = this.faults.decideRefundFate('adyen');
    const eventCode =
      payment.later === 'refund_reversed' || fate === 'reversed'
        ? 'REFUNDED_REVERSED'
        : payment.later === 'refund_fails' || fate === 'fails'
          ? 'REFUND_FAILED'
          : undefined;
    if (!eventCode) return;
    this.scheduler.after(this.config.SIMULATOR_LATE_FAILURE_DELAY_MS, () => {
      this.failRefund(payment, success, eventCode);
    });
  }

  /** A refund that had succeeded fails or comes back (once: one already taken down stays down). */
  private failRefund(
    payment: AdyenPayment,
    success: AdyenNotificationEvent,
    eventCode: 'REFUND_FAILED' | 'REFUNDED_REVERSED',
  ): void {
    const standing = payment.standingRefunds.indexOf(success);
    if (standing < 0) return;
    payment.standingRefunds.splice(standing, 1);
    payment.refunded = Math.max(0, payment.refunded - success.amount.value);
    payment.failedRefunds += 1;
    this.stats.count(
      'adyen',
      eventCode === 'REFUND_FAILED' ? 'refund_failed_later' : 'refund_reversed_later',
    );
    this.notify(payment, {
      ...success,
      eventCode,
      success: true,
      reason: eventCode === 'REFUND_FAILED' ? 'Refund failed' : 'Refund reversed',
    });
  }

  private notify(payment: AdyenPayment, event: AdyenNotificationEvent): void {
    this.webhooks.dispatch(
      adyenNotificationWebhook(notificationContextOf(payment), event, this.config.ADYEN_HMAC_KEY),
    );
  }

  /** What this PSP holds for each payment, for the chaos harness's invariants (read-only). */
  heldPayments(): HeldPayment[] {
    const payments: HeldPayment[] = [];
    for (const payment of this.payments.values()) {
      const authorized = payment.authorised ? payment.amount.value : 0;
      const held =
        payment.authorised && payment.manualCapture && !payment.cancelled
          ? Math.max(0, payment.amount.value - payment.captured)
          : 0;
      payments.push({
        provider: 'adyen',
        psp_reference: payment.pspReference,
        intent_id: payment.intentId,
        attempt_id: payment.attemptId,
        amount: payment.amount.value,
        currency: payment.amount.currency,
        status: heldPaymentStatus({
          refused: !payment.authorised,
          unconfirmed: false,
          processing: false,
          authorized: payment.authorised,
          captured: payment.captured,
          canceled: payment.cancelled,
        }),
        authorized: payment.authorised,
        captured: payment.captured,
        refunded: payment.refunded,
        canceled: payment.cancelled,
        amount_authorized: authorized,
        amount_held: held,
        amount_captured: payment.captured,
        amount_refunded: payment.refunded,
        off_session: null,
        shopper_interaction: payment.shopperInteraction,
        recurring_processing_model: payment.recurringProcessingModel,
        net_charge: payment.captured - payment.refunded,
        failed_captures: payment.failedCaptures,
        failed_refunds: payment.failedRefunds,
      });
    }
    return payments;
  }
}
