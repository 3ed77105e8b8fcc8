import { createHash } from 'node:crypto';

/**
 * A PSP's idempotency key within its length limit (Adyen: 64, Stripe: 255). Longer keys are
 * replaced by their SHA-256 (64 hex characters): deterministic, so a retry of the same attempt
 * still sends the same key, and distinct keys stay distinct.
 */
export function boundedIdempotencyKey(key: string, maxLength: number): string {
  if (key.length <= maxLength) return key;
  const digest = createHash('sha256').update(key).digest('hex');
  return digest.slice(0, maxLength);
}

export const STRIPE_MAX_IDEMPOTENCY_KEY_LENGTH = 255;
export const ADYEN_MAX_IDEMPOTENCY_KEY_LENGTH = 64;
