/** The PayFlow ids a PSP payment was made for. */
export interface PayflowIds {
  intentId: string | null;
  attemptId: string | null;
}

/**
 * PayFlow's Adyen `reference` is `<intent id>:<attempt id>` (signed in notifications as
 * `merchantReference`, so matching needs no unsigned additionalData). A reference without a colon
 * is taken as an attempt id alone (older callers and hand-written tests).
 */
export function parseAdyenReference(reference: string | undefined): PayflowIds {
  if (!reference) return { intentId: null, attemptId: null };
  const colon = reference.indexOf(':');
  if (colon <= 0 || colon === reference.length - 1) return { intentId: null, attemptId: reference };
  return { intentId: reference.slice(0, colon), attemptId: reference.slice(colon + 1) };
}

/**
 * The PayFlow ids of an Adyen payment: its reference first (signed), then the metadata PayFlow may
 * still send, then `merchantOrderReference`.
 */
export function adyenPayflowIds(
  reference: string,
  metadata: Readonly<Record<string, string>>,
  merchantOrderReference?: string,
): PayflowIds {
  const parsed = parseAdyenReference(reference);
  return {
    intentId: parsed.intentId ?? metadata['payflow_intent_id'] ?? merchantOrderReference ?? null,
    attemptId:
      (parsed.intentId ? parsed.attemptId : null) ?? metadata['payflow_attempt_id'] ?? parsed.attemptId,
  };
}
