import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header every merchant delivery carries (API.md). */
export const PAYFLOW_SIGNATURE_HEADER = 'PayFlow-Signature';

/** The tolerance merchants are told to apply when verifying (docs/webhooks.md), as Stripe's. */
export const DEFAULT_SIGNATURE_TOLERANCE_SECONDS = 300;

/**
 * A new endpoint secret: `whsec_` and 32 random bytes (256 bits) in base64url. The whole string,
 * prefix included, is the HMAC key (API.md), so merchants use it exactly as shown.
 */
export function newEndpointSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** Hex HMAC-SHA256 of `"<t>.<body>"` keyed with the secret string's UTF-8 bytes. */
export function computeSignature(secret: string, timestampSeconds: number, body: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${timestampSeconds}.${body}`, 'utf8')
    .digest('hex');
}

/** `t=<unix seconds>,v1=<hex>`: what the delivery worker sends. */
export function signatureHeader(secret: string, timestampSeconds: number, body: string): string {
  return `t=${timestampSeconds},v1=${computeSignature(secret, timestampSeconds, body)}`;
}

export interface ParsedSignatureHeader {
  timestamp: number;
  signatures: string[];
}

/** Parses `t=…,v1=…[,v1=…]`; null when it is not that shape. Several v1 allow a future secret rotation. */
export function parseSignatureHeader(header: string | undefined): ParsedSignatureHeader | null {
  if (!header) return null;
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const [key, value] = part.trim().split('=', 2);
    if (key === 't' && value !== undefined && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && value !== undefined && /^[0-9a-f]{64}$/.test(value)) signatures.push(value);
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

export type SignatureCheck = { valid: true } | { valid: false; reason: 'malformed' | 'mismatch' | 'stale' };

/**
 * What a merchant runs on a delivery (and what our tests run): recompute the HMAC over the raw body
 * and compare in constant time, then refuse timestamps older than the tolerance (replays).
 */
export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  nowSeconds: number,
  toleranceSeconds = DEFAULT_SIGNATURE_TOLERANCE_SECONDS,
): SignatureCheck {
  const parsed = parseSignatureHeader(header);
  if (!parsed) return { valid: false, reason: 'malformed' };
  const expected = Buffer.from(computeSignature(secret, parsed.timestamp, body), 'hex');
  const matches = parsed.signatures.some((signature) =>
    timingSafeEqual(Buffer.from(signature, 'hex'), expected),
  );
  if (!matches) return { valid: false, reason: 'mismatch' };
  if (Math.abs(nowSeconds - parsed.timestamp) > toleranceSeconds) return { valid: false, reason: 'stale' };
  return { valid: true };
}
