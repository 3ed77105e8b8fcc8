/** How the Adyen connector reaches Adyen (or the PSP simulator) and verifies its webhooks. */
export interface AdyenConnectorOptions {
  /** Web service user's API key (`X-API-Key`). Never logged. */
  apiKey: string;
  merchantAccount: string;
  /**
   * Checkout API base, without the version: `https://checkout-test.adyen.com` (test),
   * `https://{prefix}-checkout-live.adyenpayments.com/checkout` (live), or the simulator
   * (`http://localhost:8090`, with or without `/checkout`). The SDK's fixed URLs are rewritten onto it.
   */
  checkoutBaseUrl?: string;
  timeoutMs?: number;
  /**
   * Required by Checkout's schema; never visited, because PayFlow charges stored cards without the
   * shopper (`ContAuth`) and redirect results are treated as declines.
   */
  returnUrl?: string;
  /** The webhook HMAC key, hex-encoded as Adyen's Customer Area shows it. Never logged. */
  hmacKey?: string;
}

export const ADYEN_DEFAULT_CHECKOUT_BASE_URL = 'https://checkout-test.adyen.com';
export const ADYEN_DEFAULT_TIMEOUT_MS = 10_000;
export const ADYEN_DEFAULT_RETURN_URL = 'https://localhost/payflow/adyen/return';
