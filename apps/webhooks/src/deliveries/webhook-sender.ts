import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { pinnedLookup } from '../url-safety/pinned-lookup';
import type { ResolvedAddress } from '../url-safety/webhook-url-policy';

export interface WebhookRequest {
  url: URL;
  /** The addresses the URL policy checked: the connection goes to one of these and nowhere else. */
  addresses: ResolvedAddress[];
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface WebhookResponse {
  /** The endpoint's status, or null when none came (refused, reset, timeout). */
  statusCode: number | null;
  /** Why no status came, or null. */
  error: string | null;
  durationMs: number;
}

/** Most of a response body read (and dropped): enough to let the connection be reused. */
const MAX_RESPONSE_BYTES = 64 * 1024;

// Keep-alive pools: a merchant receiving many events reuses its connection. A pooled socket was
// opened to an address that passed the checks, so reusing it cannot reach anywhere else.
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 16 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 16 }),
};

function describe(error: unknown, timeoutMs: number): string {
  const e = error as { name?: string; code?: string; message?: string; cause?: { name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError' || e?.name === 'AbortError')
    return `timeout after ${timeoutMs} ms`;
  return (e?.code ?? e?.message ?? String(error)).slice(0, 200);
}

/**
 * POSTs one delivery with node:http(s) — not fetch, whose resolver cannot be pinned without undici
 * as a dependency — within one deadline covering connect, request, response headers and body.
 * Redirects are not followed (a 3xx is a failure, as Stripe treats it): following one would let an
 * endpoint send PayFlow to an address nobody checked. Never throws.
 */
export function postWebhook(request: WebhookRequest): Promise<WebhookResponse> {
  const started = performance.now();
  const transport = request.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (statusCode: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      resolve({ statusCode, error, durationMs: Math.round(performance.now() - started) });
    };
    const outgoing = transport.request(
      request.url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        lookup: pinnedLookup(request.addresses),
        agent: agents[request.url.protocol as 'http:' | 'https:'],
        signal: AbortSignal.timeout(request.timeoutMs),
      },
      (response) => {
        let received = 0;
        response.on('data', (chunk: Buffer) => {
          received += chunk.length;
          if (received > MAX_RESPONSE_BYTES) {
            // The status is what counts; an endless body must not hold the slot.
            finish(response.statusCode ?? null, null);
            response.destroy();
          }
        });
        response.on('end', () => finish(response.statusCode ?? null, null));
        response.on('error', (error) => finish(null, describe(error, request.timeoutMs)));
        response.on('close', () =>
          finish(response.complete ? (response.statusCode ?? null) : null, `response interrupted`),
        );
      },
    );
    outgoing.on('error', (error) => finish(null, describe(error, request.timeoutMs)));
    outgoing.end(request.body);
  });
}
