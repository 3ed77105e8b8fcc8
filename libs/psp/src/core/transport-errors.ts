import type { Provider } from '@payflow/contracts';
import { PspError } from './psp-error';

/**
 * Socket error codes meaning the request never reached the PSP's application, so nothing was
 * executed: the connection was refused, the host is unknown or unreachable.
 */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

/**
 * Connection resets. A reset can in general happen after the PSP received the request; PayFlow
 * classifies it as not executed because the PSP simulator resets before executing and because a
 * retry on the same PSP carries the same idempotency key anyway. The residual risk (failover to a
 * second PSP after a reset that the first PSP did execute) is written down in docs/psp.md.
 */
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

const TIMEOUT_CODES = new Set([
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

export type TransportFailure = 'refused' | 'reset' | 'timeout' | 'other';

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

/** The socket error code of `error` or of any error in its `cause` chain (fetch nests them). */
export function socketErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth += 1) {
    const code = codeOf(current);
    if (code && (REFUSED_CODES.has(code) || RESET_CODES.has(code) || TIMEOUT_CODES.has(code))) return code;
    const name = nameOf(current);
    if (name === 'TimeoutError') return 'ETIMEDOUT';
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

export function transportFailureOf(code: string | undefined): TransportFailure {
  if (code === undefined) return 'other';
  if (REFUSED_CODES.has(code)) return 'refused';
  if (RESET_CODES.has(code)) return 'reset';
  if (TIMEOUT_CODES.has(code)) return 'timeout';
  return 'other';
}

/**
 * A failure to get any HTTP answer. Refused and reset → `not_executed`; a timeout, or anything we
 * cannot explain, → `indeterminate` (the PSP may have acted).
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
    case 'reset':
      return new PspError({
        provider,
        errorClass: 'not_executed',
        retryable: true,
        code: 'psp_connection_reset',
        providerCode: code,
        message: `${provider} reset the connection before answering (${code})`,
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
