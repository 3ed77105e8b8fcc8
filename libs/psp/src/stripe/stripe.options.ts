/** How the Stripe connector reaches Stripe (or the PSP simulator) and verifies its webhooks. */
export interface StripeConnectorOptions {
  /** Secret API key (`sk_…`). Never logged. */
  apiKey: string;
  /**
   * Where the API lives: `https://api.stripe.com` in production, the simulator's URL (e.g.
   * `http://localhost:8090`) locally. Passed to the SDK as its `host`, `port` and `protocol`.
   */
  apiBaseUrl?: string;
  /** Per-request timeout; a timeout after sending is an indeterminate outcome. */
  timeoutMs?: number;
  /** Endpoint secret (`whsec_…`) for `Stripe-Signature`. Never logged. */
  webhookSecret?: string;
  /** Oldest acceptable signature timestamp, in seconds (Stripe's default: 300). */
  webhookToleranceSeconds?: number;
}

export const STRIPE_DEFAULT_API_BASE_URL = 'https://api.stripe.com';
export const STRIPE_DEFAULT_TIMEOUT_MS = 10_000;
export const STRIPE_DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

export interface StripeEndpoint {
  host: string;
  port: number;
  protocol: 'http' | 'https';
}

/** `http://localhost:8090` → the SDK's `{host, port, protocol}` options. */
export function stripeEndpoint(apiBaseUrl: string = STRIPE_DEFAULT_API_BASE_URL): StripeEndpoint {
  const url = new URL(apiBaseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`Stripe API base URL must be http(s): ${apiBaseUrl}`);
  }
  if (url.pathname !== '/' && url.pathname !== '') {
    // The SDK always requests `/v1/...` from the host root; a path prefix would be silently ignored.
    throw new Error(`Stripe API base URL must not have a path: ${apiBaseUrl}`);
  }
  const protocol = url.protocol === 'http:' ? 'http' : 'https';
  return { host: url.hostname, port: url.port ? Number(url.port) : protocol === 'http' ? 80 : 443, protocol };
}
