import { HttpStatus } from '@nestjs/common';
import { IDEMPOTENCY_KEY_MAX_LENGTH, isValidIdempotencyKey } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';

/**
 * The key of an `Idempotency-Key` header: 1–255 printable ASCII characters (the rule intents
 * applies too, from @payflow/api), or a 400 naming `idempotency_key`.
 */
export function parseIdempotencyKey(header: string | string[]): string {
  if (Array.isArray(header)) throw invalidKey('Send one Idempotency-Key header, not several');
  const length = header.length;
  if (isValidIdempotencyKey(header)) return header;
  if (length === 0 || length > IDEMPOTENCY_KEY_MAX_LENGTH) {
    throw invalidKey(
      `Idempotency-Key must be 1 to ${IDEMPOTENCY_KEY_MAX_LENGTH} characters long (got ${length})`,
    );
  }
  throw invalidKey('Idempotency-Key may contain only printable ASCII characters');
}

function invalidKey(message: string): ApiError {
  return new ApiError(
    HttpStatus.BAD_REQUEST,
    'invalid_request_error',
    'idempotency_key_invalid',
    message,
    'idempotency_key',
  );
}
