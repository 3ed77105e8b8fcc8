import { isValidAmountMinor } from '@payflow/contracts';

/** Why no payment is asked for an attempt: the metric's outcome and the failure's code. */
export interface PaymentRefusal {
  outcome: 'no_payment_method' | 'payment_method_unusable' | 'amount_out_of_range';
  code: 'payment_method_missing' | 'payment_method_unusable' | 'amount_out_of_range';
}

/**
 * Whether billing may ask intents for a payment of `amountDue` on the customer's card, or records
 * the attempt as failed at once instead (DESIGN.md "Billing"): no card (`payment_method_missing`),
 * a card dunning reported hard-declined (`payment_method_unusable`: billing asks nothing on it until
 * the customer gives another), or an amount no payment can carry. Each of these goes to dunning as
 * a failure waiting for a new card (libs/declines: hard, needs a new payment method).
 */
export function paymentRefusalOf(facts: {
  paymentMethod: string | null;
  unusable: boolean;
  amountDue: number;
}): PaymentRefusal | null {
  if (!facts.paymentMethod) return { outcome: 'no_payment_method', code: 'payment_method_missing' };
  if (facts.unusable) return { outcome: 'payment_method_unusable', code: 'payment_method_unusable' };
  if (!isValidAmountMinor(facts.amountDue)) return { outcome: 'amount_out_of_range', code: 'amount_out_of_range' };
  return null;
}
