import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { ApiErrorSchema } from './schemas/api-error.schema';

/** What each error status means on this API (API.md, "Errors"); the body is always ApiErrorSchema. */
const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: '`invalid_request_error`: malformed JSON, a field of the wrong type or out of range (`param` names it), a bad Idempotency-Key',
  401: '`authentication_error`: missing or unknown API key',
  403: '`permission_error`: the body names another merchant (`param`: `merchant_id`)',
  404: "`invalid_request_error` / `resource_missing`: no such object for this merchant (another merchant's ids are missing too)",
  409: "`invalid_request_error` / `invalid_state_transition`: not allowed in the object's state; or `idempotency_error`: a request with this Idempotency-Key is still running",
  413: '`invalid_request_error` / `body_too_large`: the body exceeds 1 MB',
  422: '`idempotency_error`: this Idempotency-Key was used with a different request',
  429: '`rate_limit_error`: too many requests; see `Retry-After` (seconds)',
  502: '`api_error`: the service behind the gateway is unavailable',
  504: '`api_error`: the service behind the gateway did not answer in time (retrying with the same Idempotency-Key is safe)',
};

/** Documents each listed error status with the shared error schema. */
export function ApiErrors(...statuses: number[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: ERROR_DESCRIPTIONS[status], type: ApiErrorSchema }),
    ),
  );
}

/** Errors of every merchant read. */
export const READ_ERRORS = [400, 401, 404, 429, 502, 504];
/** Errors of every merchant write. */
export const WRITE_ERRORS = [400, 401, 403, 404, 409, 413, 422, 429, 502, 504];

/** The optional `Idempotency-Key` of a POST. */
export function ApiIdempotencyKey(): MethodDecorator & ClassDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        '1-255 printable ASCII characters, scoped to the merchant and kept 24 h. A retry with the same key and request replays the first answer (`Idempotent-Replayed: true`).',
    }),
  );
}
