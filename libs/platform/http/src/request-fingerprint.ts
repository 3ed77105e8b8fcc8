import { createHash } from 'node:crypto';

// The request fingerprint of DESIGN.md (Idempotency): the gateway computes it and intents and
// webhooks store it with each idempotency key, so all of them must compute it identically.

/** JSON with object keys sorted at every level, so key order never changes a fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 hex of `METHOD path canonical-json-body`, `{}` standing for no body (docs/internal-api.md). */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  const canonical =
    body === undefined || body === null || (typeof body === 'object' && Object.keys(body).length === 0)
      ? '{}'
      : canonicalJson(body);
  return createHash('sha256').update(`${method.toUpperCase()} ${path} ${canonical}`).digest('hex');
}
