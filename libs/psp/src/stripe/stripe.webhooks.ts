import Stripe from 'stripe';
import { isCurrencyCode, normalizeCurrency, type PspNotificationKind } from '@payflow/contracts';
import {
  headerValue,
  type PspNotification,
  type PspNotificationData,
  type WebhookHeaders,
} from '../core/psp-notification';
import {
  WebhookPayloadError,
  WebhookSignatureError,
  WebhookUnusableEventError,
} from '../core/webhook-errors';
import { stripeDecline } from './stripe.codes';
import { fromStripeAmount } from './stripe.currency';
import { STRIPE_METADATA } from './stripe.metadata';
import { stripeNetworkDetails } from './stripe.transformers';
import { STRIPE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS } from './stripe.options';

export const STRIPE_SIGNATURE_HEADER = 'stripe-signature';

export interface StripeWebhookOptions {
  /** Endpoint secret (`whsec_…`). */
  secret: string;
  /** Oldest acceptable signature, in seconds; default 300 as Stripe's. */
  toleranceSeconds?: number;
  /** For tests: the receive time in ms since the epoch. */
  receivedAtMs?: number;
}

/**
 * Verifies `Stripe-Signature` (t=…,v1=… HMAC-SHA256 of `t.rawBody`) with the official SDK's
 * `stripe.webhooks.constructEvent` and returns the event. The raw bytes are what was signed: a
 * re-serialized JSON body would not verify.
 */
export function verifyStripeWebhook(
  rawBody: Buffer,
  headers: WebhookHeaders,
  options: StripeWebhookOptions,
): Stripe.Event {
  const signature = headerValue(headers, STRIPE_SIGNATURE_HEADER);
  if (!signature) throw new WebhookSignatureError('stripe', 'missing Stripe-Signature header');
  if (!options.secret) throw new WebhookSignatureError('stripe', 'no Stripe webhook secret configured');
  let event: Stripe.Event;
  try {
    event = Stripe.webhooks.constructEvent(
      rawBody,
      signature,
      options.secret,
      options.toleranceSeconds ?? STRIPE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      options.receivedAtMs,
    );
  } catch (error) {
    if (error instanceof Stripe.errors.StripeSignatureVerificationError) {
      // The SDK's message says which check failed (no match, stale timestamp); it holds no secret.
      throw new WebhookSignatureError('stripe', error.message.split('\n')[0] ?? 'invalid signature', {
        cause: error,
      });
    }
    throw new WebhookPayloadError('stripe', 'signed body is not JSON', { cause: error });
  }
  if (
    typeof event !== 'object' ||
    event === null ||
    typeof event.id !== 'string' ||
    typeof event.type !== 'string'
  ) {
    throw new WebhookPayloadError('stripe', 'signed body is not a Stripe event (no id or type)');
  }
  if (
    typeof event.data !== 'object' ||
    event.data === null ||
    typeof event.data.object !== 'object' ||
    event.data.object === null
  ) {
    // It has an id and a type: a Stripe event PayFlow cannot read, stored and answered 2xx.
    throw new WebhookUnusableEventError('stripe', `Stripe event ${event.id} has no data.object`);
  }
  return event;
}

function metadataOf(object: { metadata?: Stripe.Metadata | null }): Stripe.Metadata {
  return object.metadata ?? {};
}

function idOf(value: string | { id: string } | null | undefined): string {
  return typeof value === 'string' ? value : (value?.id ?? '');
}

function occurredAt(event: Stripe.Event): string {
  return new Date(event.created * 1000).toISOString();
}

/** Why an object lacks what PayFlow reads from it, or undefined when it has it all. */
function missingField(object: Record<string, unknown>, amountField: string): string | undefined {
  if (typeof object['id'] !== 'string' || !object['id']) return 'id';
  if (typeof object[amountField] !== 'number') return amountField;
  const currency = object['currency'];
  if (typeof currency !== 'string' || !isCurrencyCode(currency)) return 'currency';
  return undefined;
}

function requireFields(event: Stripe.Event, object: unknown, amountField: string): void {
  const missing = missingField(object as Record<string, unknown>, amountField);
  if (missing) {
    throw new WebhookUnusableEventError(
      'stripe',
      `Stripe event ${event.id} (${event.type}) is unusable: its object has no valid ${missing}`,
    );
  }
}

/**
 * The decline of a `payment_intent.payment_failed`, from `last_payment_error` as PayFlow reads a
 * 402: PayFlow's code and decline code (stripe.codes.ts), the network, the network's advice code,
 * Stripe's message. A webhook decline keeps `lost_card`, never a generic `card_declined`.
 */
function declineFields(intent: Stripe.PaymentIntent): Partial<PspNotificationData> {
  const error = intent.last_payment_error;
  if (!error) return {};
  const decline = stripeDecline(error.code ?? undefined, error.decline_code ?? undefined);
  const network = stripeNetworkDetails(error as Parameters<typeof stripeNetworkDetails>[0]);
  return {
    code: decline.code,
    decline_code: decline.declineCode ?? null,
    network: network.network ?? null,
    advice_code: network.adviceCode ?? null,
    message: error.message ?? null,
  };
}

function fromPaymentIntentEvent(
  event: Stripe.Event,
  intent: Stripe.PaymentIntent,
  kind: PspNotificationKind,
  success: boolean,
  stripeAmount: number,
  attemptKey: string | undefined,
): PspNotification {
  const metadata = metadataOf(intent);
  return {
    data: {
      provider: 'stripe',
      psp_event_id: event.id,
      psp_reference: intent.id,
      kind,
      success,
      amount: fromStripeAmount(stripeAmount, intent.currency),
      currency: normalizeCurrency(intent.currency),
      intent_id: metadata[STRIPE_METADATA.intentId] ?? null,
      attempt_id: (attemptKey && metadata[attemptKey]) || null,
      refund_id: null,
      ...(kind === 'authorization' && !success ? declineFields(intent) : {}),
    },
    eventType: event.type,
    paymentPspReference: intent.id,
    occurredAt: occurredAt(event),
    ...(intent.last_payment_error?.message && !success ? { reason: intent.last_payment_error.message } : {}),
  };
}

/**
 * A refund in a final state. A failed refund is a failure of the refund; `refund.failed` is Stripe's
 * report of a refund failing (usually one that had succeeded, e.g. the card was closed), so it is
 * marked `reversal` always — the orchestrator decides by its own attempt's state whether a success
 * is being reversed. `refund.updated` / `charge.refund.updated` to `failed` read as failed too.
 */
function fromRefundEvent(event: Stripe.Event, refund: Stripe.Refund): PspNotification[] {
  // Only final states are news; `pending` refunds are announced again by `refund.updated`.
  if (refund.status !== 'succeeded' && refund.status !== 'failed' && refund.status !== 'canceled') return [];
  requireFields(event, refund, 'amount');
  const metadata = metadataOf(refund);
  const paymentIntent = idOf(refund.payment_intent);
  const success = refund.status === 'succeeded';
  return [
    {
      data: {
        provider: 'stripe',
        psp_event_id: event.id,
        psp_reference: refund.id,
        kind: 'refund',
        success,
        amount: fromStripeAmount(refund.amount, refund.currency),
        currency: normalizeCurrency(refund.currency),
        intent_id: metadata[STRIPE_METADATA.intentId] ?? null,
        attempt_id: metadata[STRIPE_METADATA.attemptId] ?? null,
        refund_id: metadata[STRIPE_METADATA.refundId] ?? null,
        ...(event.type === 'refund.failed' && !success ? { reversal: true } : {}),
        ...(!success ? { message: refund.failure_reason ?? `refund ${refund.status}` } : {}),
      },
      eventType: event.type,
      paymentPspReference: paymentIntent,
      occurredAt: occurredAt(event),
      ...(refund.failure_reason ? { reason: refund.failure_reason } : {}),
    },
  ];
}

function fromDisputeEvent(event: Stripe.Event, dispute: Stripe.Dispute): PspNotification[] {
  requireFields(event, dispute, 'amount');
  const paymentIntent = idOf(dispute.payment_intent);
  return [
    {
      data: {
        provider: 'stripe',
        psp_event_id: event.id,
        psp_reference: paymentIntent || idOf(dispute.charge),
        kind: 'chargeback',
        success: true,
        amount: fromStripeAmount(dispute.amount, dispute.currency),
        currency: normalizeCurrency(dispute.currency),
        intent_id: metadataOf(dispute)[STRIPE_METADATA.intentId] ?? null,
        attempt_id: null,
        refund_id: null,
      },
      eventType: event.type,
      paymentPspReference: paymentIntent,
      occurredAt: occurredAt(event),
      ...(dispute.reason ? { reason: dispute.reason } : {}),
    },
  ];
}

/**
 * Normalizes the Stripe events PayFlow acts on; others (and `charge.refunded`, whose charge does
 * not say which of several partial refunds happened — the `refund.*` events do) yield nothing.
 *
 * | Stripe event | kind | success | amount |
 * |---|---|---|---|
 * | payment_intent.amount_capturable_updated | authorization | true | amount_capturable |
 * | payment_intent.payment_failed | authorization | false (with code, decline_code, network, advice_code, message) | amount |
 * | payment_intent.succeeded | capture | true | amount_received |
 * | payment_intent.canceled | cancel | true | amount |
 * | refund.created / refund.updated / charge.refund.updated / refund.failed (final states) | refund | status = succeeded (refund.failed: reversal) | amount |
 * | charge.dispute.created | chargeback | true | amount |
 *
 * A signed event whose object lacks a field PayFlow reads throws `WebhookUnusableEventError` (a
 * `WebhookPayloadError`): the webhooks service stores it as unusable and answers 2xx.
 */
export function parseStripeEvent(event: Stripe.Event): PspNotification[] {
  try {
    const object = event.data.object as unknown;
    switch (event.type) {
      case 'payment_intent.amount_capturable_updated': {
        const intent = object as Stripe.PaymentIntent;
        requireFields(event, intent, 'amount_capturable');
        return [
          fromPaymentIntentEvent(
            event,
            intent,
            'authorization',
            true,
            intent.amount_capturable,
            STRIPE_METADATA.attemptId,
          ),
        ];
      }
      case 'payment_intent.payment_failed': {
        const intent = object as Stripe.PaymentIntent;
        requireFields(event, intent, 'amount');
        return [
          fromPaymentIntentEvent(
            event,
            intent,
            'authorization',
            false,
            intent.amount,
            STRIPE_METADATA.attemptId,
          ),
        ];
      }
      case 'payment_intent.succeeded': {
        const intent = object as Stripe.PaymentIntent;
        requireFields(event, intent, 'amount_received');
        const attemptKey = metadataOf(intent)[STRIPE_METADATA.captureAttemptId]
          ? STRIPE_METADATA.captureAttemptId
          : STRIPE_METADATA.attemptId;
        return [fromPaymentIntentEvent(event, intent, 'capture', true, intent.amount_received, attemptKey)];
      }
      case 'payment_intent.canceled': {
        const intent = object as Stripe.PaymentIntent;
        requireFields(event, intent, 'amount');
        // Stripe's cancel takes no metadata, so the cancel attempt cannot be named here.
        return [fromPaymentIntentEvent(event, intent, 'cancel', true, intent.amount, undefined)];
      }
      case 'refund.created':
      case 'refund.updated':
      case 'refund.failed':
      case 'charge.refund.updated':
        return fromRefundEvent(event, object as Stripe.Refund);
      case 'charge.dispute.created':
        return fromDisputeEvent(event, object as Stripe.Dispute);
      default:
        return [];
    }
  } catch (error) {
    if (error instanceof WebhookUnusableEventError) throw error;
    // Anything else PayFlow cannot read in a signed event with an id and a type (an amount that is
    // not whole ISO minor units, a field of the wrong type) is the same verdict: stored, 2xx.
    throw new WebhookUnusableEventError(
      'stripe',
      `Stripe event ${event.id} (${event.type}) is unusable: ${String(error)}`,
      { cause: error },
    );
  }
}

/** Verify, then normalize: what the webhooks service calls for `POST /webhooks/stripe`. */
export function verifyAndParseStripeWebhook(
  rawBody: Buffer,
  headers: WebhookHeaders,
  options: StripeWebhookOptions,
): PspNotification[] {
  return parseStripeEvent(verifyStripeWebhook(rawBody, headers, options));
}
