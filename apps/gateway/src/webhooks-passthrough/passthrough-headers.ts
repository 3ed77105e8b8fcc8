import type { IncomingHttpHeaders } from 'node:http';

/**
 * Headers that describe one connection or one encoding of the bytes, not the message itself
 * (RFC 9110 §7.6.1), so they are not copied across the hop; fetch sets its own. Also dropped on the
 * way in: headers only the gateway may set towards services (a caller must not smuggle them).
 */
const NOT_FORWARDED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  // express.raw inflates a compressed body, so the bytes forwarded are the decoded ones.
  'content-encoding',
  'x-internal-token',
  'x-merchant-id',
  'x-request-id',
  'x-correlation-id',
]);

/** The caller's headers as they go to the webhooks service (Stripe-Signature and the rest unchanged). */
export function requestHeadersToForward(incoming: IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming)) {
    if (value === undefined || NOT_FORWARDED.has(name)) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  return headers;
}

/** Not copied back: connection-level, and what fetch already changed (it decodes compressed bodies). */
const NOT_RETURNED = new Set([...NOT_FORWARDED, 'request-id', 'date', 'server']);

export function responseHeadersToReturn(headers: Headers): [string, string][] {
  const out: [string, string][] = [];
  headers.forEach((value, name) => {
    if (!NOT_RETURNED.has(name)) out.push([name, value]);
  });
  return out;
}
