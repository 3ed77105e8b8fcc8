import { randomBytes } from 'node:crypto';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

function randomString(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** Stripe-shaped ids: `pi_3…`, `re_3…`, `ch_3…`, `evt_3…`, `req_…` (24 characters after the prefix). */
export function stripeId(prefix: 'pi' | 're' | 'ch' | 'evt' | 'req'): string {
  return `${prefix}_3${randomString(ALPHANUMERIC, 23)}`;
}

/** Adyen pspReferences are 16 upper-case alphanumerics. */
export function adyenPspReference(): string {
  return randomString(UPPER_ALPHANUMERIC, 16);
}
