import { randomBytes } from 'node:crypto';
import { BILLING_ID_PATTERNS, type BillingObjectName } from '@payflow/api';
import { ApiError } from '@payflow/platform/http';

/** `<prefix>_` + 24 lowercase hex characters (96 random bits), as intents' ids (BILLING-INTERFACES). */
function newId(prefix: string): string {
  return `${prefix}_${randomBytes(12).toString('hex')}`;
}

export const newCustomerId = () => newId('cus');
export const newPriceId = () => newId('price');
export const newSubscriptionId = () => newId('sub');

/** A malformed id in a path is answered like an unknown one: 404 resource_missing (API.md). */
export function assertIdOf(object: BillingObjectName, id: string): string {
  if (!BILLING_ID_PATTERNS[object].test(id)) throw ApiError.missing(object, id.slice(0, 80));
  return id;
}

/** 404 resource_missing naming the request field that named the object (Stripe's `param`). */
export function missingParam(object: BillingObjectName, id: string, param: string): ApiError {
  const error = ApiError.missing(object, id.slice(0, 80));
  return new ApiError(error.status, error.type, error.code, error.message, param);
}
