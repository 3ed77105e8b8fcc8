import type { PaymentIntentStatus } from '@payflow/contracts';

/**
 * What intents does with billing's `invoice.payment_requested` (DESIGN.md, "Billing"). Pure: the
 * service gathers the facts under the merchant's and the intent's locks and carries out the answer.
 */

/** Why a command could not apply: `invoice.payment_request_rejected`'s `reason`. */
export const REJECT_REASONS = [
  /** The intent is authorizing, authorized (its automatic capture is under way), capturing, canceling. */
  'intent_in_flight',
  /** The invoice's payment was captured (refunds since do not make it payable again). */
  'already_paid',
  /** The intent was canceled: nothing can authorize it again. */
  'intent_canceled',
  /** An attempt at or after this one was already received for the invoice. */
  'attempt_superseded',
  /** The intent belongs to another merchant, or pays another amount or currency than the command. */
  'invoice_mismatch',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export type InvoicePaymentDecision =
  | { action: 'wait_for_merchant' }
  | { action: 'create' }
  | { action: 'authorize' }
  | { action: 'reject'; reason: RejectReason };

export interface InvoicePaymentFacts {
  /** The command's attempt (the first to reach intents creates the intent, a later one authorizes it again). */
  attempt: number;
  merchantId: string;
  amount: number;
  currency: string;
  /** Whether intents' projection knows the merchant's fee schedule. */
  merchantKnown: boolean;
  /** The highest other attempt already decided (applied or rejected) for this invoice, 0 if none. */
  lastDecidedAttempt: number;
  /** The invoice's payment intent, if one exists. */
  intent: { status: PaymentIntentStatus; merchantId: string; amount: number; currency: string } | null;
}

export function decideInvoicePayment(facts: InvoicePaymentFacts): InvoicePaymentDecision {
  // No schedule, no charge: never a default fee. Waits (it does not reject: billing would retry nothing).
  if (!facts.merchantKnown) return { action: 'wait_for_merchant' };
  // Attempts only move forward: a repeat of a decided attempt is caught earlier (by its row), an
  // older one was overtaken. Numbers may skip: billing fails an attempt itself, without asking
  // intents, when the customer has no usable card (payment_method_missing / _unusable), so the
  // first attempt to reach intents may be 2 or later.
  if (facts.attempt <= facts.lastDecidedAttempt) return { action: 'reject', reason: 'attempt_superseded' };
  const { intent } = facts;
  // The invoice's first payment here, whatever its number, creates the intent.
  if (!intent) return { action: 'create' };
  if (facts.attempt === 1) return { action: 'reject', reason: 'attempt_superseded' };
  if (
    intent.merchantId !== facts.merchantId ||
    intent.amount !== facts.amount ||
    intent.currency !== facts.currency.toUpperCase()
  ) {
    return { action: 'reject', reason: 'invoice_mismatch' };
  }
  switch (intent.status) {
    case 'failed':
      return { action: 'authorize' };
    case 'captured':
    case 'partially_refunded':
    case 'refunded':
      return { action: 'reject', reason: 'already_paid' };
    case 'canceled':
      return { action: 'reject', reason: 'intent_canceled' };
    case 'created':
    case 'authorizing':
    case 'authorized': // with automatic capture: the capture is under way
    case 'capturing':
    case 'canceling':
      return { action: 'reject', reason: 'intent_in_flight' };
  }
  const unreachable: never = intent.status;
  throw new Error(`unknown payment intent status ${String(unreachable)}`);
}
