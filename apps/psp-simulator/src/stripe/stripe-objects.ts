/**
 * The Stripe objects the simulator keeps and answers with: the fields the official SDK and
 * PayFlow's connector read, in Stripe's wire shape (snake_case, lower-case currency, unix times).
 */
export type StripePaymentIntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'canceled'
  | 'succeeded';

/** The payment method as a card error carries it (expanded): its card's brand tells the network. */
export interface StripePaymentMethod {
  id: string;
  object: 'payment_method';
  type: 'card';
  card: { brand: string };
}

export interface StripeLastPaymentError {
  type: 'card_error';
  code: string;
  decline_code?: string;
  message: string;
  doc_url: string;
  /** The network's own decline code (`05`, `51`, …). */
  network_decline_code?: string;
  /** The network's advice (`01` new details, `02` try later, `03` do not try again). */
  network_advice_code?: string;
  payment_method: StripePaymentMethod;
}

export interface StripePaymentIntent {
  id: string;
  object: 'payment_intent';
  amount: number;
  amount_capturable: number;
  amount_received: number;
  currency: string;
  status: StripePaymentIntentStatus;
  capture_method: 'manual' | 'automatic' | 'automatic_async';
  confirmation_method: 'automatic';
  created: number;
  canceled_at: number | null;
  cancellation_reason: string | null;
  client_secret: string;
  description: string | null;
  last_payment_error: StripeLastPaymentError | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  payment_method: string | null;
  payment_method_types: string[];
}

export interface StripeRefund {
  id: string;
  object: 'refund';
  amount: number;
  charge: string | null;
  created: number;
  currency: string;
  failure_reason?: string;
  metadata: Record<string, string>;
  payment_intent: string;
  reason: string | null;
  status: 'pending' | 'succeeded' | 'failed' | 'canceled' | 'requires_action';
}

/** Stripe's event envelope, as sent to webhook endpoints. */
export interface StripeEvent {
  id: string;
  object: 'event';
  api_version: string;
  created: number;
  data: { object: StripePaymentIntent | StripeRefund };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export function unixNow(): number {
  return Math.floor(Date.now() / 1000);
}
