import type { Provider, PspNotificationKind } from '@payflow/contracts';

/**
 * Exactly the `data` of DESIGN.md's `psp.notification_received` event (the fields of
 * `PspNotificationReceivedData` in `@payflow/contracts`), so the webhooks service can publish it
 * as is. Amounts are already converted to PayFlow's (ISO) minor units.
 */
export interface PspNotificationData {
  provider: Provider;
  /** The dedup key: Stripe's event id; for Adyen `eventCode:pspReference:originalReference:success`. */
  psp_event_id: string;
  /** The PSP's reference of the payment, or of the refund for refund notifications. */
  psp_reference: string;
  kind: PspNotificationKind;
  success: boolean;
  amount: number;
  currency: string;
  intent_id?: string | null;
  attempt_id?: string | null;
  refund_id?: string | null;
  /** A failure of an operation the PSP had reported succeeded (CAPTURE_FAILED, REFUND_FAILED, …). */
  reversal?: boolean;
  /** Failed authorizations: the decline as the PSP gave it. */
  code?: string | null;
  decline_code?: string | null;
  network?: string | null;
  advice_code?: string | null;
  message?: string | null;
}

/** One verified PSP notification, normalized, with what the event itself does not carry. */
export interface PspNotification {
  data: PspNotificationData;
  /** The PSP's own event type (`payment_intent.succeeded`, `AUTHORISATION`), for logs and storage. */
  eventType: string;
  /** The PSP's reference of the payment this notification belongs to (for refunds: not the refund). */
  paymentPspReference: string;
  /** When the PSP says the event happened (ISO 8601). */
  occurredAt: string;
  /** The PSP's explanation of a failure (Adyen `reason`, Stripe `last_payment_error.message`). */
  reason?: string;
}

/**
 * HTTP request headers as Node and Express give them (lower-case names). A lookup helper accepts
 * any case because callers sometimes pass hand-built objects.
 */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

export function headerValue(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted) continue;
    return Array.isArray(value) ? value[0] : value;
  }
  return undefined;
}
