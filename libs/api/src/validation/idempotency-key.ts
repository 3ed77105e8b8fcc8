/** Longest `Idempotency-Key` accepted (API.md). */
export const IDEMPOTENCY_KEY_MAX_LENGTH = 255;

/** 1 to 255 printable ASCII characters (API.md); anything else is a `400`. */
export function isValidIdempotencyKey(key: unknown): key is string {
  return (
    typeof key === 'string' &&
    key.length >= 1 &&
    key.length <= IDEMPOTENCY_KEY_MAX_LENGTH &&
    /^[\x20-\x7E]+$/.test(key)
  );
}
