import type {
  CaptureMethod,
  LastErrorObject,
  PaymentIntentObject,
  PaymentIntentStatus,
  Provider,
} from '@payflow/contracts';
import type { FeeCharge } from './fee-schedule';

/** A `payment_intents` row as the service uses it (amounts as numbers: each fits 2^53 by far). */
export interface PaymentIntentRow {
  id: string;
  merchant_id: string;
  amount: number;
  currency: string;
  status: PaymentIntentStatus;
  capture_method: CaptureMethod;
  amount_capturable: number;
  amount_received: number;
  amount_refunded: number;
  payment_method: string | null;
  provider: Provider | null;
  last_error: LastErrorObject | null;
  description: string | null;
  metadata: Record<string, string>;
  /** The merchant's fee for this intent, stamped when a charge is requested. */
  fee_schedule: FeeCharge | null;
  authorization_attempts: number;
  authorization_expires_at: Date | null;
  capture_amount_requested: number | null;
  cancellation_reason: string | null;
  /** The `in_…` invoice billing asked this payment for; null for the merchant's own payments. */
  invoice: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** The columns a transition may change (the rest are fixed at creation or bookkeeping). */
export type IntentChanges = Partial<
  Pick<
    PaymentIntentRow,
    | 'amount_capturable'
    | 'amount_received'
    | 'amount_refunded'
    | 'payment_method'
    | 'provider'
    | 'last_error'
    | 'fee_schedule'
    | 'authorization_attempts'
    | 'authorization_expires_at'
    | 'capture_amount_requested'
    | 'cancellation_reason'
  >
>;

export const JSON_COLUMNS = new Set(['last_error', 'metadata', 'fee_schedule']);

const toNumber = (value: unknown): number => (typeof value === 'number' ? value : Number(value));
const toNullableNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : toNumber(value);

/** pg returns bigint as text: converts one raw row. */
export function readIntentRow(raw: Record<string, unknown>): PaymentIntentRow {
  return {
    ...(raw as unknown as PaymentIntentRow),
    amount: toNumber(raw['amount']),
    currency: String(raw['currency']).trim(),
    invoice: (raw['invoice'] as string | null | undefined) ?? null,
    amount_capturable: toNumber(raw['amount_capturable']),
    amount_received: toNumber(raw['amount_received']),
    amount_refunded: toNumber(raw['amount_refunded']),
    capture_amount_requested: toNullableNumber(raw['capture_amount_requested']),
  };
}

/** The public object of API.md: what responses and every `payment_intent.*` event carry. */
export function toPaymentIntentObject(row: PaymentIntentRow): PaymentIntentObject {
  return {
    id: row.id,
    object: 'payment_intent',
    merchant_id: row.merchant_id,
    amount: row.amount,
    currency: row.currency,
    status: row.status,
    capture_method: row.capture_method,
    amount_capturable: row.amount_capturable,
    amount_received: row.amount_received,
    amount_refunded: row.amount_refunded,
    payment_method: row.payment_method,
    provider: row.provider,
    last_error: row.last_error,
    description: row.description,
    invoice: row.invoice,
    metadata: row.metadata,
    created: row.created_at.toISOString(),
    updated: row.updated_at.toISOString(),
  };
}

/** The provider an intent past authorization holds; a missing one is a broken invariant, not input. */
export function providerOf(intent: PaymentIntentRow): Provider {
  if (!intent.provider) throw new Error(`payment intent ${intent.id} is ${intent.status} without a provider`);
  return intent.provider;
}
