import type { Provider } from '@payflow/contracts';
import { PspError } from './psp-error';

/**
 * Socket error codes of the connect phase: the connection was refused, the host is unknown or
 * unreachable, or the connection could not be opened in time (undici's connect timeout, which
 * fires before a socket exists). No byte of the request reached the PSP, so nothing was executed.
 */
const REFUSED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * TLS failures that can only happen during the handshake, before the request is written: the
 * PSP's certificate did not verify. Other TLS errors (EPROTO, ERR_SSL_* alerts) can come after the
 * request was sent, so they stay indeterminate.
 */
const TLS_HANDSHAKE_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * Connections that broke once open. The request may have been written, received and executed
 * before the break (the simulator's `reset_after_execution` does exactly that), so these are
 * indeterminate: retried on the same PSP with the same key, never failed over.
 */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/**
 * Timeouts once connected (or where the client cannot say which phase it was in: the Stripe SDK's
 * `ETIMEDOUT` and fetch's `AbortSignal.timeout` cover the whole request): indeterminate.
 */
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export type TransportFailure = 'refused' | 'tls' | 'reset' | 'timeout' | 'other';

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function nameOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

function messageOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' ? message : undefined;
}

function isKnownCode(code: string): boolean {
  return (
    REFUSED_CODES.has(code) ||
    TLS_HANDSHAKE_CODES.has(code) ||
    RESET_CODES.has(code) ||
    TIMEOUT_CODES.has(code)
  );
}

/** The socket error code of `error` or of any error in its `cause` chain (fetch nests them). */
export function socketErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = codeOf(current);
    if (code && isKnownCode(code)) return code;
    const name = nameOf(current);
    if (name === 'TimeoutError') return 'ETIMEDOUT';
    // Node's http client says "socket hang up" (code ECONNRESET, but some wrappers drop the code).
    if (messageOf(current) === 'socket hang up') return 'ECONNRESET';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function transportFailureOf(code: string | undefined): TransportFailure {
  if (code === undefined) return 'other';
  if (REFUSED_CODES.has(code)) return 'refused';
  if (TLS_HANDSHAKE_CODES.has(code)) return 'tls';
  if (RESET_CODES.has(code)) return 'reset';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  return 'other';
}

/**
 * A failure to get any HTTP answer. Only the connect phase (refused, DNS, unreachable, connect
 * timeout, a certificate refused in the TLS handshake) is `not_executed`; a reset, a timeout, or
 * anything we cannot explain is `indeterminate` (the PSP may have acted).
 */
export function transportError(provider: Provider, error: unknown, timeoutMs?: number): PspError {
  const code = socketErrorCode(error);
  const failure = transportFailureOf(code);
  switch (failure) {
    case 'refused':
      return new PspError({
        provider,
        errorClass: 'not_executed',
        retryable: true,
        code: 'psp_unreachable',
        providerCode: code,
        message: `${provider} could not be reached (${code})`,
        cause: error,
      });
    case 'tls':
      return new PspError({
        provider,
        errorClass: 'not_executed',
        retryable: true,
        code: 'psp_tls_handshake_failed',
        providerCode: code,
        message: `${provider} TLS handshake failed before the request was sent (${code})`,
        cause: error,
      });
    case 'reset':
      return new PspError({
        provider,
        errorClass: 'indeterminate',
        retryable: true,
        code: 'psp_connection_reset',
        providerCode: code,
        message: `${provider} connection broke before an answer (${code}); the request may have executed`,
        cause: error,
      });
    case 'timeout':
      return new PspError({
        provider,
        errorClass: 'indeterminate',
        retryable: true,
        code: 'psp_timeout',
        providerCode: code,
        message:
          timeoutMs === undefined
            ? `${provider} did not answer in time`
            : `${provider} did not answer within ${timeoutMs} ms`,
        cause: error,
      });
    default:
      return new PspError({
        provider,
        errorClass: 'indeterminate',
        retryable: true,
        code: 'psp_connection_error',
        providerCode: code,
        message: `${provider} connection failed: ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
  }
}
