import Stripe from 'stripe';
import { PspError } from '../core/psp-error';
import type { DeclineKind } from '../core/psp-results';
import { transportError } from '../core/transport-errors';

/** How one Stripe decline reads in PayFlow: API.md `last_error.code` and whether to retry the card. */
export interface StripeDeclineRule {
  code: string;
  kind: DeclineKind;
}

/**
 * Stripe `decline_code` → PayFlow. Hard: the card will not work again (lost, stolen, closed,
 * fraud), so dunning must not retry it; soft: a later try may succeed. Unlisted codes are generic
 * soft declines (`card_declined`). Source: https://docs.stripe.com/declines/codes.
 */
export const STRIPE_DECLINE_CODES: Readonly<Record<string, StripeDeclineRule>> = Object.freeze({
  generic_decline: { code: 'card_declined', kind: 'soft' },
  do_not_honor: { code: 'card_declined', kind: 'soft' },
  call_issuer: { code: 'card_declined', kind: 'soft' },
  try_again_later: { code: 'card_declined', kind: 'soft' },
  issuer_not_available: { code: 'card_declined', kind: 'soft' },
  reenter_transaction: { code: 'card_declined', kind: 'soft' },
  no_action_taken: { code: 'card_declined', kind: 'soft' },
  approve_with_id: { code: 'card_declined', kind: 'soft' },
  processing_error: { code: 'processing_error', kind: 'soft' },
  insufficient_funds: { code: 'insufficient_funds', kind: 'soft' },
  card_velocity_exceeded: { code: 'card_velocity_exceeded', kind: 'soft' },
  withdrawal_count_limit_exceeded: { code: 'card_velocity_exceeded', kind: 'soft' },
  incorrect_cvc: { code: 'incorrect_cvc', kind: 'soft' },
  invalid_cvc: { code: 'incorrect_cvc', kind: 'soft' },
  incorrect_zip: { code: 'incorrect_zip', kind: 'soft' },
  authentication_required: { code: 'authentication_required', kind: 'soft' },
  offline_pin_required: { code: 'authentication_required', kind: 'soft' },
  online_or_offline_pin_required: { code: 'authentication_required', kind: 'soft' },
  lost_card: { code: 'lost_card', kind: 'hard' },
  stolen_card: { code: 'stolen_card', kind: 'hard' },
  pickup_card: { code: 'card_declined', kind: 'hard' },
  expired_card: { code: 'expired_card', kind: 'hard' },
  incorrect_number: { code: 'incorrect_number', kind: 'hard' },
  invalid_number: { code: 'incorrect_number', kind: 'hard' },
  invalid_expiry_month: { code: 'expired_card', kind: 'hard' },
  invalid_expiry_year: { code: 'expired_card', kind: 'hard' },
  fraudulent: { code: 'card_declined', kind: 'hard' },
  merchant_blacklist: { code: 'card_declined', kind: 'hard' },
  restricted_card: { code: 'card_declined', kind: 'hard' },
  security_violation: { code: 'card_declined', kind: 'hard' },
  card_not_supported: { code: 'card_not_supported', kind: 'hard' },
  currency_not_supported: { code: 'currency_not_supported', kind: 'hard' },
  transaction_not_allowed: { code: 'card_declined', kind: 'hard' },
  not_permitted: { code: 'card_declined', kind: 'hard' },
  service_not_allowed: { code: 'card_declined', kind: 'hard' },
  invalid_account: { code: 'card_declined', kind: 'hard' },
  new_account_information_available: { code: 'card_declined', kind: 'hard' },
  do_not_try_again: { code: 'card_declined', kind: 'hard' },
  revocation_of_authorization: { code: 'card_declined', kind: 'hard' },
  revocation_of_all_authorizations: { code: 'card_declined', kind: 'hard' },
  stop_payment_order: { code: 'card_declined', kind: 'hard' },
  pin_try_exceeded: { code: 'card_declined', kind: 'hard' },
  invalid_pin: { code: 'card_declined', kind: 'soft' },
  invalid_amount: { code: 'invalid_amount', kind: 'hard' },
  duplicate_transaction: { code: 'card_declined', kind: 'hard' },
  testmode_decline: { code: 'card_declined', kind: 'hard' },
});

/**
 * Stripe card-error `code` → PayFlow, for card errors that come without a `decline_code`.
 * `processing_error` is a soft decline, not an indeterminate outcome: Stripe answered, the payment
 * intent went back to `requires_payment_method`, nothing was authorized, and a retry may pass.
 */
export const STRIPE_CARD_ERROR_CODES: Readonly<Record<string, StripeDeclineRule>> = Object.freeze({
  card_declined: { code: 'card_declined', kind: 'soft' },
  expired_card: { code: 'expired_card', kind: 'hard' },
  incorrect_cvc: { code: 'incorrect_cvc', kind: 'soft' },
  invalid_cvc: { code: 'incorrect_cvc', kind: 'soft' },
  incorrect_number: { code: 'incorrect_number', kind: 'hard' },
  invalid_number: { code: 'incorrect_number', kind: 'hard' },
  invalid_expiry_month: { code: 'expired_card', kind: 'hard' },
  invalid_expiry_year: { code: 'expired_card', kind: 'hard' },
  incorrect_zip: { code: 'incorrect_zip', kind: 'soft' },
  processing_error: { code: 'processing_error', kind: 'soft' },
  authentication_required: { code: 'authentication_required', kind: 'soft' },
  card_decline_rate_limit_exceeded: { code: 'card_velocity_exceeded', kind: 'soft' },
});

export interface StripeDecline {
  code: string;
  declineCode?: string;
  kind: DeclineKind;
}

/** PayFlow's reading of a Stripe card error (`code` + optional `decline_code`). */
export function stripeDecline(code: string | undefined, declineCode: string | undefined): StripeDecline {
  const byDeclineCode = declineCode ? STRIPE_DECLINE_CODES[declineCode] : undefined;
  if (byDeclineCode) return { code: byDeclineCode.code, declineCode, kind: byDeclineCode.kind };
  const byCode = code ? STRIPE_CARD_ERROR_CODES[code] : undefined;
  if (byCode) return { code: byCode.code, ...(declineCode ? { declineCode } : {}), kind: byCode.kind };
  return { code: 'card_declined', declineCode: declineCode || code || 'generic_decline', kind: 'soft' };
}

/** The Stripe-Should-Retry response header Stripe (and the simulator) sets on retry-safe failures. */
function shouldRetryHeader(error: InstanceType<typeof Stripe.errors.StripeError>): string | undefined {
  const headers = (error.headers ?? {}) as Record<string, string | string[] | undefined>;
  const value = headers['stripe-should-retry'];
  return Array.isArray(value) ? value[0] : value;
}

function isResponseBodyError(detail: unknown): boolean {
  return (
    typeof detail === 'object' &&
    detail !== null &&
    detail.constructor?.name === 'HttpClientResponseBodyError'
  );
}

/**
 * Classifies every Stripe SDK failure other than a card decline (which the connector turns into a
 * `declined` result) into DESIGN.md's classes:
 *
 * | Stripe | class | retryable |
 * |---|---|---|
 * | connect phase: ECONNREFUSED, DNS, unreachable, a certificate refused in the TLS handshake | not_executed | yes |
 * | a connection reset or EPIPE, a timeout, the answer cut mid-body | indeterminate | yes |
 * | 429 / `rate_limit` | not_executed | yes |
 * | 5xx, with or without `Stripe-Should-Retry: true` ("retry with the same key", not "not processed") | indeterminate | yes (`Stripe-Should-Retry: false`: no) |
 * | 409 `idempotency_key_in_use` (the first request with the key is still running) | indeterminate | yes |
 * | 400/404 `invalid_request_error`, 400 `idempotency_error` (key reused with other parameters) | declined | no |
 * | 401/403 | not_executed | no |
 */
export function classifyStripeError(error: unknown, timeoutMs?: number): PspError {
  if (error instanceof PspError) return error;
  if (error instanceof Stripe.errors.StripeConnectionError) {
    const detail = (error as { detail?: unknown }).detail ?? error;
    if (isResponseBodyError(detail)) {
      return new PspError({
        provider: 'stripe',
        errorClass: 'indeterminate',
        retryable: true,
        code: 'psp_connection_error',
        message: 'Stripe answered but the response was cut off',
        cause: error,
      });
    }
    return transportError('stripe', detail, timeoutMs);
  }
  if (!(error instanceof Stripe.errors.StripeError)) {
    return transportError('stripe', error, timeoutMs);
  }
  const status = error.statusCode;
  const base = {
    provider: 'stripe' as const,
    providerCode: error.code ?? error.rawType,
    httpStatus: status,
    cause: error,
  };
  const message = error.message || 'Stripe error';

  if (error instanceof Stripe.errors.StripeRateLimitError || status === 429) {
    return new PspError({
      ...base,
      errorClass: 'not_executed',
      retryable: true,
      code: 'rate_limited',
      message,
    });
  }
  if (status !== undefined && status >= 500) {
    // Stripe-Should-Retry: true asks for a retry with the same key; it does not say the request was
    // not processed (a saved 500 is replayed with it too), so it never allows failover.
    const shouldRetry = shouldRetryHeader(error);
    return new PspError({
      ...base,
      errorClass: 'indeterminate',
      retryable: shouldRetry !== 'false',
      code: 'psp_error',
      message,
    });
  }
  if (status === 409) {
    return new PspError({
      ...base,
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_request_in_progress',
      message,
    });
  }
  if (
    error instanceof Stripe.errors.StripeAuthenticationError ||
    error instanceof Stripe.errors.StripePermissionError
  ) {
    return new PspError({
      ...base,
      errorClass: 'not_executed',
      retryable: false,
      code: 'psp_authentication_failed',
      message,
    });
  }
  if (error instanceof Stripe.errors.StripeIdempotencyError) {
    return new PspError({
      ...base,
      errorClass: 'declined',
      retryable: false,
      code: 'idempotency_key_reused',
      message,
    });
  }
  if (error instanceof Stripe.errors.StripeInvalidRequestError) {
    return new PspError({
      ...base,
      errorClass: 'declined',
      retryable: false,
      code: error.code ?? 'invalid_request',
      type: 'invalid_request_error',
      message,
    });
  }
  if (error instanceof Stripe.errors.StripeAPIError && status === undefined) {
    // 2xx with a body that is not JSON: Stripe acted, we cannot read what it did.
    return new PspError({
      ...base,
      errorClass: 'indeterminate',
      retryable: true,
      code: 'psp_error',
      message,
    });
  }
  return new PspError({ ...base, errorClass: 'indeterminate', retryable: true, code: 'psp_error', message });
}
