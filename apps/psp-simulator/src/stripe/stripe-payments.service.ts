import { Injectable } from '@nestjs/common';
import { WebhookDispatcher } from '../notifications/webhook-dispatcher';
import { stripeId } from '../shared/ids';
import type { SimulatedResponse } from '../shared/simulated-response';
import { SimulatorStats } from '../shared/simulator-stats';
import { AuthorizationCounts } from '../shared/authorization-counts';
import { Scheduler } from '../shared/scheduler';
import { cardBehaviour, DECLINES, resolveCard, type CardBehaviour } from '../shared/test-cards';
import { FaultInjector } from '../faults/fault-injector';
import { SimulatorConfig } from '../simulator.config';
import { stripeError, stripeInvalidRequest, stripeNoSuchPaymentIntent } from './stripe-errors';
import { stripeEventWebhook } from './stripe-events';
import type {
  StripeLastPaymentError,
  StripePaymentIntent,
  StripePaymentMethod,
  StripeRefund,
} from './stripe-objects';
import { unixNow } from './stripe-objects';
import { intParam, isTrue, metadataParam, stringParam, type StripeParams } from './stripe-params';
import { heldPaymentStatus, type HeldPayment } from '../inspection/held-payment';

/** Why a refund that succeeded failed later (Stripe's `failure_reason` for a closed card). */
export const LATE_REFUND_FAILURE_REASON = 'expired_or_canceled_card';

const CONFIRMABLE = new Set(['requires_payment_method', 'requires_confirmation']);

const CANCELABLE = new Set([
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
]);

/**
 * Stripe's PaymentIntents and Refunds, in memory, with Stripe's state rules: a payment intent is
 * created unconfirmed (`confirm=false`, the default: nothing moves, no event) and confirmed with a
 * test payment method (API.md decides the outcome) at creation or by `/confirm`, captured once for
 * up to `amount_capturable` (the rest is released), canceled while not yet captured, and refunded
 * up to what was captured; a refund may fail after succeeding. Each state change sends the event
 * Stripe would.
 */
@Injectable()
export class StripePaymentsService {
  private readonly intents = new Map<string, StripePaymentIntent>();
  /** Per payment intent: what its succeeded (and not later failed) refunds returned. */
  private readonly refunded = new Map<string, number>();
  private readonly refunds = new Map<string, StripeRefund>();
  /** Per payment intent: the amount its authorization reserved (absent: never authorized). */
  private readonly authorized = new Map<string, number>();
  private readonly failedRefunds = new Map<string, number>();
  /** Whether the confirm (or create-and-confirm) of each payment intent said `off_session` (inspection). */
  private readonly offSession = new Map<string, boolean>();

  constructor(
    private readonly config: SimulatorConfig,
    private readonly webhooks: WebhookDispatcher,
    private readonly stats: SimulatorStats,
    private readonly counts: AuthorizationCounts,
    private readonly faults: FaultInjector,
    private readonly scheduler: Scheduler,
  ) {}

  create(params: StripeParams, idempotencyKey?: string): SimulatedResponse {
    const amount = intParam(params, 'amount');
    if (amount === undefined || amount < 1)
      return stripeInvalidRequest('Missing required param: amount.', 'parameter_missing', 'amount');
    const currency = stringParam(params, 'currency');
    if (!currency || !/^[a-z]{3}$/.test(currency))
      return stripeInvalidRequest('Invalid currency.', 'parameter_invalid_string', 'currency');
    const captureMethod = stringParam(params, 'capture_method') ?? 'automatic';
    if (!['manual', 'automatic', 'automatic_async'].includes(captureMethod)) {
      return stripeInvalidRequest(
        `Invalid capture_method: ${captureMethod}`,
        'parameter_invalid_string',
        'capture_method',
      );
    }
    const paymentMethod = stringParam(params, 'payment_method');
    const card = cardBehaviour(paymentMethod);
    if (paymentMethod && !card)
      return stripeInvalidRequest(
        `No such PaymentMethod: '${paymentMethod}'`,
        'resource_missing',
        'payment_method',
      );
    const confirm = isTrue(params, 'confirm');
    const offSession = offSessionParam(params);
    if (offSession === 'invalid')
      return stripeInvalidRequest('Invalid off_session.', 'parameter_invalid_string', 'off_session');
    // As Stripe: off_session belongs to the confirmation.
    if (offSession !== undefined && !confirm)
      return stripeInvalidRequest(
        'off_session can only be specified when confirm is true.',
        'parameter_invalid_string',
        'off_session',
      );
    if (confirm && !paymentMethod) {
      return stripeInvalidRequest(
        'You cannot confirm this PaymentIntent because it is missing a payment method.',
        'payment_intent_unexpected_state',
        'payment_method',
      );
    }

    const id = stripeId('pi');
    const intent: StripePaymentIntent = {
      id,
      object: 'payment_intent',
      amount,
      amount_capturable: 0,
      amount_received: 0,
      currency,
      status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
      capture_method: captureMethod as StripePaymentIntent['capture_method'],
      confirmation_method: 'automatic',
      created: unixNow(),
      canceled_at: null,
      cancellation_reason: null,
      client_secret: `${id}_secret_simulated`,
      description: stringParam(params, 'description') ?? null,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata: metadataParam(params),
      payment_method: paymentMethod ?? null,
      payment_method_types: ['card'],
    };
    this.intents.set(id, intent);
    if (offSession !== undefined) this.offSession.set(id, offSession);
    this.stats.count('stripe', 'payment_intent_created');
    if (!confirm || !card) return { status: 200, body: structuredClone(intent) };
    return this.confirm(intent, card, idempotencyKey);
  }

  /**
   * `POST /v1/payment_intents/{id}/confirm`: what creation with `confirm=true` does, for an intent
   * created unconfirmed (or declined before, with a payment method given again). Once succeeded,
   * authorized or canceled it cannot be confirmed.
   */
  confirmExisting(id: string, params: StripeParams, idempotencyKey?: string): SimulatedResponse {
    const intent = this.intents.get(id);
    if (!intent) return stripeNoSuchPaymentIntent(id);
    if (!CONFIRMABLE.has(intent.status)) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`,
        payment_intent: structuredClone(intent),
      });
    }
    const paymentMethod = stringParam(params, 'payment_method') ?? intent.payment_method ?? undefined;
    const card = cardBehaviour(paymentMethod);
    if (!paymentMethod)
      return stripeInvalidRequest(
        'You cannot confirm this PaymentIntent because it is missing a payment method.',
        'payment_intent_unexpected_state',
        'payment_method',
      );
    if (!card)
      return stripeInvalidRequest(
        `No such PaymentMethod: '${paymentMethod}'`,
        'resource_missing',
        'payment_method',
      );
    const captureMethod = stringParam(params, 'capture_method');
    if (captureMethod && !['manual', 'automatic', 'automatic_async'].includes(captureMethod))
      return stripeInvalidRequest(
        `Invalid capture_method: ${captureMethod}`,
        'parameter_invalid_string',
        'capture_method',
      );
    const offSession = offSessionParam(params);
    if (offSession === 'invalid')
      return stripeInvalidRequest('Invalid off_session.', 'parameter_invalid_string', 'off_session');
    if (offSession !== undefined) this.offSession.set(id, offSession);
    intent.payment_method = paymentMethod;
    if (captureMethod) intent.capture_method = captureMethod as StripePaymentIntent['capture_method'];
    intent.metadata = { ...intent.metadata, ...metadataParam(params) };
    this.stats.count('stripe', 'confirm');
    return this.confirm(intent, card, idempotencyKey);
  }

  retrieve(id: string): SimulatedResponse {
    const intent = this.intents.get(id);
    this.stats.count('stripe', 'retrieve');
    return intent ? { status: 200, body: structuredClone(intent) } : stripeNoSuchPaymentIntent(id);
  }

  capture(id: string, params: StripeParams, idempotencyKey?: string): SimulatedResponse {
    const intent = this.intents.get(id);
    if (!intent) return stripeNoSuchPaymentIntent(id);
    if (intent.status !== 'requires_capture') {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `This PaymentIntent could not be captured because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be captured: requires_capture.`,
        payment_intent: structuredClone(intent),
      });
    }
    const requested =
      params['amount_to_capture'] === undefined
        ? intent.amount_capturable
        : intParam(params, 'amount_to_capture');
    if (requested === undefined || requested < 1)
      return stripeInvalidRequest(
        'Invalid amount_to_capture.',
        'parameter_invalid_integer',
        'amount_to_capture',
      );
    if (requested > intent.amount_capturable) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount_to_capture',
        message: `The amount to capture (${requested}) is greater than the amount capturable (${intent.amount_capturable}).`,
      });
    }
    // One capture per payment intent: the uncaptured rest is released.
    intent.amount_received = requested;
    intent.amount_capturable = 0;
    intent.status = 'succeeded';
    intent.metadata = { ...intent.metadata, ...metadataParam(params) };
    this.stats.count('stripe', 'capture');
    this.emit('payment_intent.succeeded', intent, idempotencyKey);
    return { status: 200, body: structuredClone(intent) };
  }

  cancel(id: string, params: StripeParams, idempotencyKey?: string): SimulatedResponse {
    const intent = this.intents.get(id);
    if (!intent) return stripeNoSuchPaymentIntent(id);
    if (!CANCELABLE.has(intent.status)) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: requires_payment_method, requires_capture, requires_confirmation, requires_action, processing.`,
        payment_intent: structuredClone(intent),
      });
    }
    intent.status = 'canceled';
    intent.amount_capturable = 0;
    intent.canceled_at = unixNow();
    intent.cancellation_reason = stringParam(params, 'cancellation_reason') ?? null;
    this.stats.count('stripe', 'cancel');
    this.emit('payment_intent.canceled', intent, idempotencyKey);
    return { status: 200, body: structuredClone(intent) };
  }

  refund(params: StripeParams, idempotencyKey?: string): SimulatedResponse {
    const id = stringParam(params, 'payment_intent');
    if (!id)
      return stripeInvalidRequest(
        'One of the following params should be provided for this request: payment_intent or charge.',
        'parameter_missing',
        'payment_intent',
      );
    const intent = this.intents.get(id);
    if (!intent) return stripeNoSuchPaymentIntent(id);
    if (intent.status !== 'succeeded') {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'charge_not_refundable',
        message: `This PaymentIntent (${id}) does not have a successful charge to refund.`,
      });
    }
    const alreadyRefunded = this.refunded.get(id) ?? 0;
    const remaining = intent.amount_received - alreadyRefunded;
    if (remaining <= 0) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'charge_already_refunded',
        message: `Charge ${intent.latest_charge} has already been refunded.`,
      });
    }
    const amount = params['amount'] === undefined ? remaining : intParam(params, 'amount');
    if (amount === undefined || amount < 1)
      return stripeInvalidRequest('Invalid positive integer', 'parameter_invalid_integer', 'amount');
    if (amount > remaining) {
      return stripeError(400, {
        type: 'invalid_request_error',
        code: 'amount_too_large',
        param: 'amount',
        message: `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
      });
    }
    const refund: StripeRefund = {
      id: stripeId('re'),
      object: 'refund',
      amount,
      charge: intent.latest_charge,
      created: unixNow(),
      currency: intent.currency,
      metadata: metadataParam(params),
      payment_intent: id,
      reason: stringParam(params, 'reason') ?? null,
      status: 'succeeded',
    };
    this.refunded.set(id, alreadyRefunded + amount);
    this.refunds.set(refund.id, refund);
    this.stats.count('stripe', 'refund');
    this.emit('refund.created', refund, idempotencyKey);
    if (this.refundFailsLater(intent)) {
      this.scheduler.after(this.config.SIMULATOR_LATE_FAILURE_DELAY_MS, () => this.failRefund(refund));
    }
    return { status: 200, body: structuredClone(refund) };
  }

  /** The card's "fails later" test behaviour, or the seeded fault (`refund_failed` / `refund_reversed`). */
  private refundFailsLater(intent: StripePaymentIntent): boolean {
    // The fault is drawn for every refund, so the seeded sequence does not depend on the cards used.
    const fate = this.faults.decideRefundFate('stripe');
    const later = cardBehaviour(intent.payment_method ?? undefined);
    const byCard =
      later?.kind === 'approve' && (later.later === 'refund_fails' || later.later === 'refund_reversed');
    return byCard || fate !== 'stays';
  }

  /**
   * A refund that had succeeded fails (the card was closed): the money goes back to the merchant's
   * captured balance, the refund says `failed`, and Stripe sends `refund.failed`.
   */
  private failRefund(refund: StripeRefund): void {
    if (refund.status !== 'succeeded') return;
    refund.status = 'failed';
    refund.failure_reason = LATE_REFUND_FAILURE_REASON;
    const intentId = refund.payment_intent;
    this.refunded.set(intentId, Math.max(0, (this.refunded.get(intentId) ?? 0) - refund.amount));
    this.failedRefunds.set(intentId, (this.failedRefunds.get(intentId) ?? 0) + 1);
    this.stats.count('stripe', 'refund_failed_later');
    this.emit('refund.failed', refund);
  }

  /** Stripe's list of refunds, newest first, optionally of one payment intent (`limit` 1–100, default 10). */
  listRefunds(paymentIntent: string | undefined, limitText: string | undefined): SimulatedResponse {
    const limit = limitText === undefined ? 10 : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      return stripeInvalidRequest('Invalid integer: limit', 'parameter_invalid_integer', 'limit');
    const all = [...this.refunds.values()]
      .filter((refund) => !paymentIntent || refund.payment_intent === paymentIntent)
      .reverse();
    return {
      status: 200,
      body: {
        object: 'list',
        data: structuredClone(all.slice(0, limit)),
        has_more: all.length > limit,
        url: '/v1/refunds',
      },
    };
  }

  retrieveRefund(id: string): SimulatedResponse {
    const refund = this.refunds.get(id);
    return refund
      ? { status: 200, body: structuredClone(refund) }
      : stripeInvalidRequest(`No such refund: '${id}'`, 'resource_missing', 'id', 404);
  }

  private confirm(
    intent: StripePaymentIntent,
    behaviour: CardBehaviour,
    idempotencyKey?: string,
  ): SimulatedResponse {
    const card = resolveCard(behaviour, this.counts.next(intent.metadata['payflow_intent_id'] ?? null));
    intent.latest_charge = stripeId('ch');
    const paymentMethod: StripePaymentMethod = {
      id: intent.payment_method ?? '',
      object: 'payment_method',
      type: 'card',
      card: { brand: card.network },
    };
    if (card.kind === 'decline') {
      const decline = DECLINES[card.decline].stripe;
      const error: StripeLastPaymentError = {
        type: 'card_error',
        code: decline.code,
        decline_code: decline.decline_code,
        message: decline.message,
        doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
        network_decline_code: decline.network_decline_code,
        ...(decline.network_advice_code ? { network_advice_code: decline.network_advice_code } : {}),
        payment_method: paymentMethod,
      };
      intent.status = 'requires_payment_method';
      intent.last_payment_error = error;
      this.stats.count('stripe', 'authorization_declined');
      this.emit('payment_intent.payment_failed', intent, idempotencyKey);
      // A decline is an answer: kept for idempotent replay like any executed request.
      return stripeError(
        402,
        { ...error, charge: intent.latest_charge, payment_intent: structuredClone(intent) },
        { replayable: true },
      );
    }
    intent.last_payment_error = null;
    this.authorized.set(intent.id, intent.amount);
    this.stats.charge('stripe', intent.metadata['payflow_attempt_id'], intent.metadata['payflow_intent_id']);
    if (intent.capture_method === 'manual') {
      intent.status = 'requires_capture';
      intent.amount_capturable = intent.amount;
      this.stats.count('stripe', 'authorization_succeeded');
      this.emit('payment_intent.amount_capturable_updated', intent, idempotencyKey);
    } else {
      intent.status = 'succeeded';
      intent.amount_received = intent.amount;
      this.stats.count('stripe', 'authorization_succeeded');
      this.emit('payment_intent.succeeded', intent, idempotencyKey);
    }
    return {
      status: 200,
      body: structuredClone(intent),
      lateByMs: card.kind === 'slow' ? this.config.SIMULATOR_SLOW_RESPONSE_MS : undefined,
    };
  }

  private emit(type: string, object: StripePaymentIntent | StripeRefund, idempotencyKey?: string): void {
    this.webhooks.dispatch(
      stripeEventWebhook(type, object, this.config.STRIPE_WEBHOOK_SECRET, idempotencyKey),
    );
  }

  /** What this PSP holds for each payment, for the chaos harness's invariants (read-only). */
  heldPayments(): HeldPayment[] {
    const payments: HeldPayment[] = [];
    for (const intent of this.intents.values()) {
      const authorized = this.authorized.get(intent.id) ?? 0;
      const captured = intent.amount_received;
      const refunded = this.refunded.get(intent.id) ?? 0;
      payments.push({
        provider: 'stripe',
        psp_reference: intent.id,
        intent_id: intent.metadata['payflow_intent_id'] ?? null,
        attempt_id: intent.metadata['payflow_attempt_id'] ?? null,
        amount: intent.amount,
        currency: intent.currency.toUpperCase(),
        status: heldPaymentStatus({
          refused: intent.status === 'requires_payment_method' && intent.last_payment_error !== null,
          unconfirmed:
            intent.status === 'requires_confirmation' || intent.status === 'requires_payment_method',
          processing: intent.status === 'processing' || intent.status === 'requires_action',
          authorized: authorized > 0,
          captured,
          canceled: intent.status === 'canceled',
        }),
        authorized: authorized > 0,
        captured,
        refunded,
        canceled: intent.status === 'canceled',
        amount_authorized: authorized,
        amount_held: intent.amount_capturable,
        amount_captured: captured,
        amount_refunded: refunded,
        net_charge: captured - refunded,
        failed_captures: 0,
        failed_refunds: this.failedRefunds.get(intent.id) ?? 0,
        off_session: this.offSession.get(intent.id) ?? false,
        shopper_interaction: null,
        recurring_processing_model: null,
      });
    }
    return payments;
  }
}

/** Stripe's `off_session`: a boolean, or `one_off` / `recurring` (both mean true). */
function offSessionParam(params: StripeParams): boolean | 'invalid' | undefined {
  const value = params['off_session'];
  if (value === undefined) return undefined;
  if (value === true || value === 'true' || value === 'one_off' || value === 'recurring') return true;
  if (value === false || value === 'false') return false;
  return 'invalid';
}
