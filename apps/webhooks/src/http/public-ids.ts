import { randomBytes } from 'node:crypto';
import { EVENT_ID_PATTERN, WEBHOOK_DELIVERY_ID_PATTERN, WEBHOOK_ENDPOINT_ID_PATTERN } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';

/** Type prefix of API.md and 24 random hex characters (96 bits), as intents' ids. */
export const newEndpointId = () => `we_${randomBytes(12).toString('hex')}`;
export const newEventId = () => `evt_${randomBytes(12).toString('hex')}`;
export const newDeliveryId = () => `wd_${randomBytes(12).toString('hex')}`;

/** A malformed id is answered like an unknown one: 404 resource_missing (API.md). */
export function assertEndpointId(id: string): string {
  if (!WEBHOOK_ENDPOINT_ID_PATTERN.test(id)) throw ApiError.missing('webhook_endpoint', id.slice(0, 80));
  return id;
}

export function assertEventId(id: string): string {
  if (!EVENT_ID_PATTERN.test(id)) throw ApiError.missing('event', id.slice(0, 80));
  return id;
}

export function assertDeliveryId(id: string): string {
  if (!WEBHOOK_DELIVERY_ID_PATTERN.test(id)) throw ApiError.missing('webhook_delivery', id.slice(0, 80));
  return id;
}
