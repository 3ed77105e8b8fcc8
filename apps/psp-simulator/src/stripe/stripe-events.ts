import { stripeId } from '../shared/ids';
import type { OutgoingWebhook } from '../notifications/outgoing-webhook';
import { stripeSignatureHeader } from '../notifications/stripe-webhook-signer';
import { unixNow, type StripeEvent, type StripePaymentIntent, type StripeRefund } from './stripe-objects';

/** The API version stamped on events (what the SDK sends as Stripe-Version). */
export const SIMULATED_STRIPE_API_VERSION = '2026-10-28.endive';

/**
 * A Stripe event webhook: the object's state when the event happened (copied, so later changes do
 * not leak into it), signed with the endpoint secret at each delivery attempt.
 */
export function stripeEventWebhook(
  type: string,
  object: StripePaymentIntent | StripeRefund,
  secret: string,
  idempotencyKey?: string,
): OutgoingWebhook {
  const event: StripeEvent = {
    id: stripeId('evt'),
    object: 'event',
    api_version: SIMULATED_STRIPE_API_VERSION,
    created: unixNow(),
    data: { object: structuredClone(object) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: stripeId('req'), idempotency_key: idempotencyKey ?? null },
    type,
  };
  return {
    provider: 'stripe',
    description: `${type} ${object.id}`,
    body: JSON.stringify(event, null, 2),
    sign: (body) => ({ 'Stripe-Signature': stripeSignatureHeader(body, secret) }),
  };
}
