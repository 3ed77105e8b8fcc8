import Stripe from 'stripe';

/**
 * `Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "t.body">`, made with the official SDK's own
 * helper so what PayFlow verifies is exactly what Stripe would send.
 */
export function stripeSignatureHeader(
  body: string,
  secret: string,
  timestampSeconds = Math.floor(Date.now() / 1000),
): string {
  return Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp: timestampSeconds });
}
