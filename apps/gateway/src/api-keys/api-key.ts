import { createHmac } from 'node:crypto';
import { randomBase62 } from '../merchants/random-id';

export const API_KEY_PREFIX = 'sk_test_';
/** 43 base62 characters carry 256 bits, as many as the 32 random bytes the key stands for. */
const SECRET_LENGTH = 43;
/** Characters kept for display (`sk_test_Ab12`): enough to tell keys apart, far too few to guess one. */
const DISPLAY_CHARACTERS = API_KEY_PREFIX.length + 4;
/** What a key can look like at all; anything else is refused before any hashing or lookup. */
const API_KEY_SHAPE = /^sk_test_[A-Za-z0-9]{16,128}$/;

export interface NewApiKey {
  /** Shown to the operator once, never stored. */
  key: string;
  /** Stored, for listings. */
  prefix: string;
}

export function generateApiKey(): NewApiKey {
  const key = `${API_KEY_PREFIX}${randomBase62(SECRET_LENGTH)}`;
  return { key, prefix: key.slice(0, DISPLAY_CHARACTERS) };
}

export function looksLikeApiKey(candidate: string): boolean {
  return API_KEY_SHAPE.test(candidate);
}

/**
 * Keys are stored as HMAC-SHA256 under API_KEY_HASH_SECRET, hex. A key is 256 random bits, so a
 * slow password hash buys nothing and would cost on every request; the HMAC secret means a leaked
 * table alone cannot even confirm a guessed key.
 */
export class ApiKeyHasher {
  constructor(private readonly secret: string) {}

  hash(key: string): string {
    return createHmac('sha256', this.secret).update(key, 'utf8').digest('hex');
  }
}
