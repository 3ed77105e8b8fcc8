import type { PspFailureAnswers } from '../shared/psp-request-runner';
import type { SimulatedResponse } from '../shared/simulated-response';

/** Adyen's error body: `{status, errorCode, message, errorType, pspReference?}`. */
export function adyenError(
  status: number,
  errorCode: string,
  message: string,
  errorType: 'validation' | 'security' | 'internal' | 'configuration',
  options: { replayable?: boolean; headers?: Record<string, string> } = {},
): SimulatedResponse {
  return {
    status,
    body: { status, errorCode, message, errorType },
    replayable: options.replayable,
    headers: options.headers,
  };
}

/** A request refused by validation before anything ran: not kept for idempotent replay. */
export function adyenValidationError(errorCode: string, message: string, status = 422): SimulatedResponse {
  return adyenError(status, errorCode, message, 'validation', { replayable: false });
}

/**
 * The failures the fault injector makes Adyen answer. "Not processed" carries Adyen's
 * `Transient-Error: true` header (retry with the same idempotency key); the connector reads it as
 * surely not executed.
 */
export const ADYEN_FAILURES: PspFailureAnswers = {
  rateLimited: () => adyenError(429, '429', 'Too many requests; slow down.', 'validation'),
  notProcessed: () =>
    adyenError(
      503,
      '000',
      'Transient error: the request was not processed; retry with the same idempotency key.',
      'internal',
      {
        headers: { 'Transient-Error': 'true' },
      },
    ),
  failedAfterExecuting: () => adyenError(500, '000', 'Internal error.', 'internal'),
  idempotencyConflict: () =>
    adyenError(422, '704', 'request already processed or in progress', 'validation', { replayable: false }),
};
