import type { PspError } from './psp-error';
import type { PspDeclined } from './psp-results';

/** API.md's `last_error` object of a payment intent. */
export interface LastError {
  type: string;
  code: string;
  decline_code?: string;
  message: string;
  network?: string;
  advice_code?: string;
}

/** The `last_error` a declined result or a PSP error leaves on the intent. */
export function toLastError(failure: PspDeclined | PspError): LastError {
  if ('outcome' in failure) {
    return {
      type: 'card_error',
      code: failure.code,
      ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
      message: failure.message,
      ...(failure.network ? { network: failure.network } : {}),
      ...(failure.adviceCode ? { advice_code: failure.adviceCode } : {}),
    };
  }
  return {
    type: failure.type,
    code: failure.code,
    ...(failure.declineCode ? { decline_code: failure.declineCode } : {}),
    message: failure.message,
  };
}
