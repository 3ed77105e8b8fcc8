import { randomBytes } from 'node:crypto';
import { ApiError } from '@payflow/platform/http';

/** `pi_…` / `re_…`: the type prefix of API.md and 24 random hex characters (96 bits). */
export const newIntentId = () => `pi_${randomBytes(12).toString('hex')}`;
export const newRefundId = () => `re_${randomBytes(12).toString('hex')}`;

const INTENT_ID = /^pi_[A-Za-z0-9]{1,64}$/;

/** A malformed id is answered like an unknown one: 404 resource_missing (API.md). */
export function assertIntentId(id: string): string {
  if (!INTENT_ID.test(id)) throw ApiError.missing('payment_intent', id.slice(0, 80));
  return id;
}
