/**
 * PayFlow's Adyen `reference`: `<intent id>:<attempt id>` on every request. Adyen signs it in each
 * notification as `merchantReference`, so a notification is matched to its intent and attempt by
 * signed fields alone (the rest of `additionalData` is not covered by the HMAC). Adyen allows 80
 * characters; PayFlow's ids (`pi_…`, `att_` + 24 hex) stay well within.
 */
export function adyenMerchantReference(intentId: string, attemptId: string): string {
  return `${intentId}:${attemptId}`;
}

export interface AdyenMerchantReference {
  /** Null for a bare attempt id (payments made before references named the intent). */
  intentId: string | null;
  attemptId: string;
}

const INTENT_ID = /^pi_[A-Za-z0-9_-]+$/;
const ATTEMPT_ID = /^att_[A-Za-z0-9_-]+$/;

/**
 * PayFlow's ids from a signed `merchantReference`: `pi_…:att_…`, or a bare `att_…` from older
 * payments. Anything else (a reference PayFlow did not write) is null: no ids are guessed.
 */
export function parseAdyenMerchantReference(
  reference: string | null | undefined,
): AdyenMerchantReference | null {
  if (!reference) return null;
  const colon = reference.indexOf(':');
  if (colon < 0) return ATTEMPT_ID.test(reference) ? { intentId: null, attemptId: reference } : null;
  const intentId = reference.slice(0, colon);
  const attemptId = reference.slice(colon + 1);
  return INTENT_ID.test(intentId) && ATTEMPT_ID.test(attemptId) ? { intentId, attemptId } : null;
}
