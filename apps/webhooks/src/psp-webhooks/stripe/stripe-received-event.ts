import { WebhookPayloadError, parseStripeEvent } from '@payflow/psp';
import type { VerifiedPspEvent } from '../../received-events/received-psp-events';

/** What a verified Stripe event is at least: `{id, type, …}`. */
export interface StripeEventIdentity {
  id: string;
  type: string;
}

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The id and type of a signed body, or null when it has none (not JSON, not an object, no string
 * `id` or `type`): that much is the least a body must have to be a Stripe event at all, and to be
 * deduplicated. Everything else in it is judged by what PayFlow can read (API.md: "not JSON, no event
 * id or type: 4xx").
 */
export function stripeEventIdentity(rawBody: Buffer): StripeEventIdentity | null {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return null;
  const { id, type } = body as { id?: unknown; type?: unknown };
  return nonEmptyString(id) && nonEmptyString(type) ? { id, type } : null;
}

/**
 * One signed Stripe event as the event to store. An event PayFlow cannot read (its object lacks a
 * field PayFlow reads, or has no `data.object`) is stored as unusable and answered 2xx: a 4xx makes
 * Stripe retry it for days and then disable the endpoint (issue 10), and no retry of the same bytes
 * would ever read better.
 *
 * `event` is the verified, parsed event; null when libs/psp refused its shape after verifying its
 * signature (`reason` says why).
 */
export function stripeReceivedEvent(
  identity: StripeEventIdentity,
  event: Parameters<typeof parseStripeEvent>[0] | null,
  reason: string | null,
  rawBody: Buffer,
  headers: Record<string, string>,
): VerifiedPspEvent {
  const base = {
    provider: 'stripe' as const,
    pspEventId: identity.id,
    eventType: identity.type,
    rawPayload: rawBody.toString('utf8'),
    headers,
  };
  if (!event) return { ...base, notifications: [], unusable: reason ?? 'not a readable Stripe event' };
  try {
    return { ...base, notifications: parseStripeEvent(event) };
  } catch (error) {
    if (!(error instanceof WebhookPayloadError)) throw error;
    return { ...base, notifications: [], unusable: error.message };
  }
}
