import type { Provider } from '@payflow/contracts';

/**
 * The signature is missing, forged, stale, or the body was altered: answer 400 and store nothing
 * (API.md, "PSP webhooks").
 */
export class WebhookSignatureError extends Error {
  constructor(
    readonly provider: Provider,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebhookSignatureError';
  }
}

/**
 * Correctly signed, but not the PSP's format (not JSON, no event id or type): answer 4xx — unless it
 * is a `WebhookUnusableEventError` (below), which is stored and answered 2xx.
 */
export class WebhookPayloadError extends Error {
  constructor(
    readonly provider: Provider,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'WebhookPayloadError';
  }
}

/**
 * Signed, and enough of the PSP's format to be stored and deduplicated (a Stripe event with its id
 * and type, one Adyen notification item), but lacking what PayFlow reads (an amount, a currency
 * PayFlow knows, the object's id). Store it as unusable and answer 2xx: a 4xx would make the PSP
 * retry the same bytes for days (and Stripe then disable the endpoint), and they would never read
 * better. A `WebhookPayloadError`, so callers that do not tell them apart stay safe for the batch.
 */
export class WebhookUnusableEventError extends WebhookPayloadError {
  constructor(provider: Provider, message: string, options?: { cause?: unknown }) {
    super(provider, message, options);
    this.name = 'WebhookUnusableEventError';
  }
}
