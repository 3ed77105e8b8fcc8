import type { PspFailureAnswers } from '../shared/psp-request-runner';
import type { SimulatedResponse } from '../shared/simulated-response';
import type { StripePaymentIntent, StripePaymentMethod } from './stripe-objects';

/** Stripe's error envelope: `{error: {type, code?, decline_code?, message, param?, …}}`. */
export function stripeError(
  status: number,
  error: {
    type: string;
    message: string;
    code?: string;
    decline_code?: string;
    param?: string;
    payment_intent?: StripePaymentIntent;
    payment_method?: StripePaymentMethod;
    network_advice_code?: string;
    network_decline_code?: string;
    charge?: string;
  },
  options: { replayable?: boolean; headers?: Record<string, string> } = {},
): SimulatedResponse {
  const docs = error.code
    ? { doc_url: `https://stripe.com/docs/error-codes/${error.code.replace(/_/g, '-')}` }
    : {};
  return {
    status,
    body: { error: { ...error, ...docs } },
    replayable: options.replayable,
    headers: options.headers,
  };
}

/** A request refused before executing (bad parameters): not kept for idempotent replay. */
export function stripeInvalidRequest(
  message: string,
  code?: string,
  param?: string,
  status = 400,
): SimulatedResponse {
  return stripeError(
    status,
    { type: 'invalid_request_error', message, ...(code ? { code } : {}), ...(param ? { param } : {}) },
    { replayable: false },
  );
}

export function stripeNoSuchPaymentIntent(id: string): SimulatedResponse {
  return stripeInvalidRequest(`No such payment_intent: '${id}'`, 'resource_missing', 'intent', 404);
}

/**
 * The failures the fault injector makes Stripe answer. "Not processed" uses Stripe's
 * `Stripe-Should-Retry: true` header; the connector reads it as surely not executed.
 */
export const STRIPE_FAILURES: PspFailureAnswers = {
  rateLimited: () =>
    stripeError(429, {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.',
    }),
  notProcessed: () =>
    stripeError(
      500,
      {
        type: 'api_error',
        message: 'The request was not processed because of a temporary problem; it is safe to retry.',
      },
      { headers: { 'Stripe-Should-Retry': 'true' } },
    ),
  failedAfterExecuting: () =>
    stripeError(500, {
      type: 'api_error',
      message: 'An unknown error occurred while processing the request.',
    }),
  idempotencyConflict: () =>
    stripeError(
      400,
      {
        type: 'idempotency_error',
        message:
          'Keys for idempotent requests can only be used with the same parameters they were first used with.',
      },
      { replayable: false },
    ),
  keyInUse: () =>
    stripeError(
      409,
      {
        type: 'idempotency_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): please try again later.',
      },
      { replayable: false },
    ),
  savesFailedAnswers: true,
};
