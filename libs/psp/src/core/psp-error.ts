import type { Provider } from '@payflow/contracts';
import type { DeclineKind } from './psp-results';

/**
 * DESIGN.md's error classes, which decide what the orchestrator may do next:
 * - `declined`: the PSP refused the request for good (an invalid request or state, e.g. capturing
 *   more than was authorized): final for the attempt, never retried as is.
 * - `not_executed`: the PSP surely did nothing (connection refused, 429, an explicit "not
 *   processed" answer): retried on the same PSP and, for authorizations, may fail over.
 * - `indeterminate`: it may have happened (any other 5xx, a timeout after sending): retried only on
 *   the same PSP with the same idempotency key, which makes the PSP answer the first outcome.
 */
export type PspErrorClass = 'declined' | 'not_executed' | 'indeterminate';

/** API.md `last_error.type` the error maps to. */
export type PspErrorType = 'card_error' | 'invalid_request_error' | 'api_error';

export interface PspErrorDetails {
  provider: Provider;
  errorClass: PspErrorClass;
  /** Whether repeating the same call (same idempotency key) may succeed. */
  retryable: boolean;
  /** Normalized code, API.md `last_error.code` style (e.g. `rate_limited`, `psp_unavailable`). */
  code: string;
  message: string;
  type?: PspErrorType;
  /** The PSP's own code (Stripe `code`, Adyen `errorCode`, a socket error code). */
  providerCode?: string;
  httpStatus?: number;
  declineCode?: string;
  declineKind?: DeclineKind;
  cause?: unknown;
}

/**
 * A PSP call that did not produce a normalized result. The message never contains secrets: it is
 * built from the PSP's error message and codes only.
 */
export class PspError extends Error {
  readonly provider: Provider;
  readonly errorClass: PspErrorClass;
  readonly retryable: boolean;
  readonly code: string;
  readonly type: PspErrorType;
  readonly providerCode?: string;
  readonly httpStatus?: number;
  readonly declineCode?: string;
  readonly declineKind?: DeclineKind;

  constructor(details: PspErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PspError';
    this.provider = details.provider;
    this.errorClass = details.errorClass;
    this.retryable = details.retryable;
    this.code = details.code;
    this.type = details.type ?? (details.errorClass === 'declined' ? 'invalid_request_error' : 'api_error');
    this.providerCode = details.providerCode;
    this.httpStatus = details.httpStatus;
    this.declineCode = details.declineCode;
    this.declineKind = details.declineKind;
  }
}

export function isPspError(error: unknown): error is PspError {
  return error instanceof PspError;
}
