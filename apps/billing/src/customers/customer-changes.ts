import { METADATA_MAX_KEYS } from '@payflow/api';
import type { CustomerRow } from './customer.row';
import type { CustomerChanges } from './customers.repository';

/** The fields of `POST /v1/customers/{id}` (UpdateCustomerRequest), as the service reads them. */
export interface CustomerUpdate {
  email?: string;
  name?: string;
  payment_method?: string;
  metadata?: Record<string, string>;
}

export type CustomerUpdateDecision =
  | { ok: true; changes: CustomerChanges; paymentMethodChanged: boolean }
  | { ok: false; param: string; message: string };

/**
 * What an update changes (Stripe's rules): only the fields given; an empty `name` clears it;
 * `metadata` is merged key by key and a key set to `""` is removed; the merged map must still fit
 * the metadata limits. `paymentMethodChanged` only when the card is really another one: the same
 * `pm_…` again is not a new card and must not make dunning retry.
 */
export function decideCustomerUpdate(current: CustomerRow, update: CustomerUpdate): CustomerUpdateDecision {
  const changes: CustomerChanges = {};
  if (update.email !== undefined) changes.email = update.email;
  if (update.name !== undefined) changes.name = update.name === '' ? null : update.name;
  if (update.metadata !== undefined) {
    const merged: Record<string, string> = { ...current.metadata };
    for (const [key, value] of Object.entries(update.metadata)) {
      if (value === '') delete merged[key];
      else merged[key] = value;
    }
    if (Object.keys(merged).length > METADATA_MAX_KEYS) {
      return { ok: false, param: 'metadata', message: `metadata may have at most ${METADATA_MAX_KEYS} keys in all` };
    }
    changes.metadata = merged;
  }
  const paymentMethodChanged =
    update.payment_method !== undefined && update.payment_method !== current.payment_method;
  if (paymentMethodChanged) changes.payment_method = update.payment_method;
  return { ok: true, changes, paymentMethodChanged };
}
