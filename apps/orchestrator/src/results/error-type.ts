import type { ErrorType } from '@payflow/contracts';
import type { Attempt } from '../attempts/attempt';

/**
 * API.md's `last_error.type` of a settled attempt's failure: `card_error` only for a card decline
 * (the PSP processed the payment and said no); `invalid_request_error` when the PSP refused the
 * request itself (error class `declined`: capturing more than authorized, a state it cannot leave);
 * `api_error` for PayFlow's own failures — no eligible PSP, a PSP unavailable, an outcome never
 * confirmed — which must never look like a decline (a merchant would not retry a "card" error
 * differently, dunning would). Null for a success.
 */
export function errorTypeOf(attempt: Pick<Attempt, 'status' | 'error_class'>): ErrorType | null {
  switch (attempt.status) {
    case 'succeeded':
    case 'pending':
    case 'unknown':
      return null;
    case 'declined':
      return 'card_error';
    case 'failed':
      return attempt.error_class === 'declined' ? 'invalid_request_error' : 'api_error';
  }
}
