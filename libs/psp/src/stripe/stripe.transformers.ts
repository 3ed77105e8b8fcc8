import type Stripe from 'stripe';
import { normalizeCurrency } from '@payflow/contracts';
import { adviceForbidsRetry, cardNetwork } from '../core/network-codes';
import { PspError } from '../core/psp-error';
import type { AuthorizeRequest, CaptureRequest, RefundRequest, CancelRequest } from '../core/psp-requests';
import type {
  DeclineKind,
  PspDeclined,
  PspPaymentSnapshot,
  PspPaymentStatus,
  PspRefundSnapshot,
  PspResult,
} from '../core/psp-results';
import { stripeDecline } from './stripe.codes';
import { fromStripeAmount, toStripeAmount } from './stripe.currency';
import { STRIPE_METADATA } from './stripe.metadata';

// Request mapping: PayFlow → Stripe parameters. Stripe wants lower-case currency codes.

/**
 * The payment intent for an authorization. `confirm: false` is the first of the two steps
 * (`prepareAuthorization`): Stripe creates it in `requires_confirmation` and moves no money, and
 * PayFlow records its id before confirming. `confirm: true` is the older single call.
 */
export function toPaymentIntentCreateParams(
  request: AuthorizeRequest,
  confirm = true,
): Stripe.PaymentIntentCreateParams {
  return {
    amount: toStripeAmount(request.amount, request.currency),
    currency: normalizeCurrency(request.currency).toLowerCase(),
    payment_method: request.paymentMethod,
    // Cards only, so confirming server-side never needs a return_url for redirect-based methods.
    allowed_payment_method_types: ['card'],
    confirm,
    capture_method: request.captureMethod === 'manual' ? 'manual' : 'automatic',
    // Stripe takes off_session only with confirm: the unconfirmed create leaves it to the confirm.
    ...(request.offSession && confirm ? { off_session: true } : {}),
    metadata: {
      [STRIPE_METADATA.intentId]: request.intentId,
      [STRIPE_METADATA.attemptId]: request.attemptId,
    },
    ...(request.description ? { description: request.description } : {}),
  };
}

/** The confirm of a prepared payment intent: off-session payments say so here (Stripe wants it with the confirm). */
export function toPaymentIntentConfirmParams(request: AuthorizeRequest): Stripe.PaymentIntentConfirmParams {
  return request.offSession ? { off_session: true } : {};
}

export function toPaymentIntentCaptureParams(request: CaptureRequest): Stripe.PaymentIntentCaptureParams {
  return {
    amount_to_capture: toStripeAmount(request.amount, request.currency),
    metadata: { [STRIPE_METADATA.captureAttemptId]: request.attemptId },
  };
}

const STRIPE_CANCELLATION_REASONS = [
  'duplicate',
  'fraudulent',
  'requested_by_customer',
  'abandoned',
] as const;

export function toPaymentIntentCancelParams(request: CancelRequest): Stripe.PaymentIntentCancelParams {
  const reason = STRIPE_CANCELLATION_REASONS.find((known) => known === request.reason);
  return reason ? { cancellation_reason: reason } : {};
}

const STRIPE_REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'] as const;

export function toRefundCreateParams(request: RefundRequest): Stripe.RefundCreateParams {
  const reason = STRIPE_REFUND_REASONS.find((known) => known === request.reason);
  return {
    payment_intent: request.pspReference,
    amount: toStripeAmount(request.amount, request.currency),
    metadata: {
      [STRIPE_METADATA.intentId]: request.intentId,
      [STRIPE_METADATA.attemptId]: request.attemptId,
      ...(request.refundId ? { [STRIPE_METADATA.refundId]: request.refundId } : {}),
      ...(request.reason ? { [STRIPE_METADATA.reason]: request.reason.slice(0, 500) } : {}),
    },
    ...(reason ? { reason } : {}),
  };
}

// Response mapping: Stripe → PayFlow.

function currencyOf(object: { currency: string }): string {
  return normalizeCurrency(object.currency);
}

function unexpected(operation: string, status: string, pspReference: string): PspError {
  return new PspError({
    provider: 'stripe',
    errorClass: 'declined',
    retryable: false,
    code: 'payment_intent_unexpected_state',
    providerCode: status,
    type: 'invalid_request_error',
    message: `Stripe answered ${operation} of ${pspReference} with status ${status}`,
  });
}

/** What a Stripe error (402 body or `last_payment_error`) says about the card network. */
interface StripeNetworkFields {
  payment_method?: { card?: { brand?: string | null } | null } | null;
  network_advice_code?: string | null;
  network_decline_code?: string | null;
  /** Stripe's own advice (`do_not_try_again`, `try_again_later`, `confirm_card_data`). */
  advice_code?: string | null;
}

/**
 * The network and its codes, as dunning needs them: the brand of the payment method Stripe names
 * (`payment_method.card.brand`, lower case as Stripe writes it: `visa`, `mastercard`, `amex`), the
 * network's advice code and raw decline code. Looked up on the error first, then on the payment
 * intent's `last_payment_error`, which carries the same fields.
 */
export function stripeNetworkDetails(
  ...sources: (StripeNetworkFields | null | undefined)[]
): Pick<PspDeclined, 'network' | 'adviceCode' | 'networkDeclineCode'> {
  const first = (read: (source: StripeNetworkFields) => string | null | undefined): string | undefined => {
    for (const source of sources) {
      const value = source ? read(source) : undefined;
      if (value) return value;
    }
    return undefined;
  };
  const network = cardNetwork(first((source) => source.payment_method?.card?.brand));
  const adviceCode = first((source) => source.network_advice_code);
  const networkDeclineCode = first((source) => source.network_decline_code);
  return {
    ...(network ? { network } : {}),
    ...(adviceCode ? { adviceCode } : {}),
    ...(networkDeclineCode ? { networkDeclineCode } : {}),
  };
}

/**
 * A decline the network or Stripe says never to retry (Mastercard advice 03/21, Stripe
 * `advice_code: do_not_try_again`) is hard, whatever the decline code's own kind.
 */
function kindWithAdvice(
  kind: DeclineKind,
  ...sources: (StripeNetworkFields | null | undefined)[]
): DeclineKind {
  for (const source of sources) {
    if (adviceForbidsRetry(source?.network_advice_code) || source?.advice_code === 'do_not_try_again')
      return 'hard';
  }
  return kind;
}

function declinedFromPaymentIntent(intent: Stripe.PaymentIntent): PspDeclined {
  const error = intent.last_payment_error;
  const decline = stripeDecline(error?.code ?? undefined, error?.decline_code ?? undefined);
  return {
    provider: 'stripe',
    outcome: 'declined',
    pspReference: intent.id,
    paymentPspReference: intent.id,
    amount: fromStripeAmount(intent.amount, intent.currency),
    currency: currencyOf(intent),
    code: decline.code,
    ...(decline.declineCode ? { declineCode: decline.declineCode } : {}),
    declineKind: kindWithAdvice(decline.kind, error as StripeNetworkFields | null),
    message: error?.message ?? `payment intent ${intent.status}`,
    providerCode: error?.decline_code ?? error?.code ?? intent.status,
    ...stripeNetworkDetails(error as StripeNetworkFields | null),
  };
}

/** The answer to a confirm (or to the older create-and-confirm). */
export function fromAuthorizedPaymentIntent(intent: Stripe.PaymentIntent): PspResult {
  const base = {
    provider: 'stripe' as const,
    pspReference: intent.id,
    paymentPspReference: intent.id,
    amount: fromStripeAmount(intent.amount, intent.currency),
    currency: currencyOf(intent),
  };
  switch (intent.status) {
    case 'requires_capture':
      return { ...base, outcome: 'succeeded' };
    case 'succeeded':
      return {
        ...base,
        outcome: 'succeeded',
        amountCaptured: fromStripeAmount(intent.amount_received, intent.currency),
      };
    case 'processing':
      return { ...base, outcome: 'pending' };
    case 'requires_action':
      // PayFlow confirms server-side and cannot run 3-D Secure: the card asked for it, so a soft decline.
      return {
        ...base,
        outcome: 'declined',
        code: 'authentication_required',
        declineKind: 'soft',
        message: 'the card requires authentication',
        providerCode: intent.status,
      };
    default:
      return declinedFromPaymentIntent(intent);
  }
}

/**
 * A Stripe card error (HTTP 402) is an answer, not a failure: a `declined` result, with the network
 * fields from the error or from its payment intent's `last_payment_error`.
 */
export function declinedFromCardError(
  error: StripeNetworkFields & {
    code?: string;
    decline_code?: string;
    message: string;
    payment_intent?: Stripe.PaymentIntent;
  },
  request: { amount: number; currency: string; pspReference?: string },
): PspDeclined {
  const decline = stripeDecline(error.code, error.decline_code || undefined);
  const intent = error.payment_intent;
  const reference = intent?.id ?? request.pspReference ?? '';
  return {
    provider: 'stripe',
    outcome: 'declined',
    pspReference: reference,
    paymentPspReference: reference,
    amount: request.amount,
    currency: normalizeCurrency(request.currency),
    code: decline.code,
    ...(decline.declineCode ? { declineCode: decline.declineCode } : {}),
    declineKind: kindWithAdvice(
      decline.kind,
      error,
      intent?.last_payment_error as StripeNetworkFields | null | undefined,
    ),
    message: error.message,
    providerCode: error.decline_code || error.code,
    ...stripeNetworkDetails(error, intent?.last_payment_error as StripeNetworkFields | null | undefined),
  };
}

export function fromCapturedPaymentIntent(intent: Stripe.PaymentIntent): PspResult {
  const base = {
    provider: 'stripe' as const,
    pspReference: intent.id,
    paymentPspReference: intent.id,
    currency: currencyOf(intent),
  };
  if (intent.status === 'succeeded') {
    return {
      ...base,
      outcome: 'succeeded',
      amount: fromStripeAmount(intent.amount_received, intent.currency),
    };
  }
  if (intent.status === 'processing') {
    return {
      ...base,
      outcome: 'pending',
      amount: fromStripeAmount(intent.amount_capturable, intent.currency),
    };
  }
  throw unexpected('capture', intent.status, intent.id);
}

export function fromCanceledPaymentIntent(intent: Stripe.PaymentIntent): PspResult {
  if (intent.status !== 'canceled') throw unexpected('cancel', intent.status, intent.id);
  return {
    provider: 'stripe',
    outcome: 'succeeded',
    pspReference: intent.id,
    paymentPspReference: intent.id,
    amount: fromStripeAmount(intent.amount, intent.currency),
    currency: currencyOf(intent),
  };
}

function paymentIntentIdOf(refund: Stripe.Refund): string {
  const intent = refund.payment_intent;
  return typeof intent === 'string' ? intent : (intent?.id ?? '');
}

export function fromRefund(refund: Stripe.Refund): PspResult {
  const base = {
    provider: 'stripe' as const,
    pspReference: refund.id,
    paymentPspReference: paymentIntentIdOf(refund),
    amount: fromStripeAmount(refund.amount, refund.currency),
    currency: currencyOf(refund),
  };
  switch (refund.status) {
    case 'succeeded':
      return { ...base, outcome: 'succeeded' };
    case 'pending':
    case 'requires_action':
      return { ...base, outcome: 'pending' };
    default:
      return {
        ...base,
        outcome: 'declined',
        code: 'refund_failed',
        declineKind: 'hard',
        message: `refund ${refund.status}${refund.failure_reason ? `: ${refund.failure_reason}` : ''}`,
        providerCode: refund.failure_reason ?? refund.status ?? undefined,
      };
  }
}

const REFUND_SNAPSHOT_STATUS: Record<string, PspRefundSnapshot['status']> = {
  pending: 'pending',
  requires_action: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  canceled: 'canceled',
};

/** A refund as `retrieveRefund` reads it; an unknown status reads as `pending` (ask again later). */
export function toRefundSnapshot(refund: Stripe.Refund): PspRefundSnapshot {
  return {
    provider: 'stripe',
    pspReference: refund.id,
    status: REFUND_SNAPSHOT_STATUS[refund.status ?? ''] ?? 'pending',
    amount: fromStripeAmount(refund.amount, refund.currency),
    currency: currencyOf(refund),
    ...(refund.failure_reason ? { failureReason: refund.failure_reason } : {}),
    ...(refund.metadata?.[STRIPE_METADATA.attemptId]
      ? { attemptId: refund.metadata[STRIPE_METADATA.attemptId] }
      : {}),
  };
}

/**
 * `requires_payment_method` is `failed` only with a `last_payment_error`; without one it is a
 * payment intent not confirmed yet (or one whose confirm Stripe has not run): `pending`.
 */
const SNAPSHOT_STATUS: Record<Stripe.PaymentIntent.Status, PspPaymentStatus> = {
  requires_payment_method: 'pending',
  requires_confirmation: 'pending',
  requires_action: 'pending',
  processing: 'pending',
  requires_capture: 'authorized',
  succeeded: 'captured',
  canceled: 'canceled',
};

export function toSnapshot(intent: Stripe.PaymentIntent): PspPaymentSnapshot {
  const metadata = intent.metadata ?? {};
  const declined =
    intent.status === 'requires_payment_method' && intent.last_payment_error
      ? declinedFromPaymentIntent(intent)
      : undefined;
  const status: PspPaymentStatus = declined ? 'failed' : (SNAPSHOT_STATUS[intent.status] ?? 'pending');
  return {
    provider: 'stripe',
    pspReference: intent.id,
    status,
    amount: fromStripeAmount(intent.amount, intent.currency),
    amountCapturable: fromStripeAmount(intent.amount_capturable, intent.currency),
    amountReceived: fromStripeAmount(intent.amount_received, intent.currency),
    currency: currencyOf(intent),
    ...(metadata[STRIPE_METADATA.intentId] ? { intentId: metadata[STRIPE_METADATA.intentId] } : {}),
    ...(metadata[STRIPE_METADATA.attemptId] ? { attemptId: metadata[STRIPE_METADATA.attemptId] } : {}),
    ...(declined
      ? {
          lastDecline: {
            code: declined.code,
            declineCode: declined.declineCode,
            message: declined.message,
            declineKind: declined.declineKind,
            ...(declined.network ? { network: declined.network } : {}),
            ...(declined.adviceCode ? { adviceCode: declined.adviceCode } : {}),
          },
        }
      : {}),
  };
}
