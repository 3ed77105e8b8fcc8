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

/** Correctly signed, but not the PSP's format (not JSON, no event id or type): answer 4xx. */
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
