import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** The largest multiple of 62 below 256: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/** `length` characters of [0-9A-Za-z] from the CSPRNG, without modulo bias (≈5.95 bits each). */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < UNBIASED_LIMIT) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `mer_` + 16 characters (≈95 bits): unguessable, so an id alone never reveals another merchant. */
export function newMerchantId(): string {
  return `mer_${randomBase62(16)}`;
}

export function newApiKeyId(): string {
  return `key_${randomBase62(16)}`;
}
