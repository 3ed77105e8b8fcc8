import { PAYMENT_INTENT_STATUSES, type PaymentIntentStatus } from '@payflow/contracts';
import {
  InvoicePaymentDecision,
  InvoicePaymentFacts,
  decideInvoicePayment,
} from './invoice-payment-decision';

const facts = (over: Partial<InvoicePaymentFacts> = {}): InvoicePaymentFacts => ({
  attempt: 1,
  merchantId: 'mer_1',
  amount: 2_000,
  currency: 'usd',
  merchantKnown: true,
  lastDecidedAttempt: 0,
  intent: null,
  ...over,
});
const intent = (
  status: PaymentIntentStatus,
  over: Partial<NonNullable<InvoicePaymentFacts['intent']>> = {},
) => ({
  status,
  merchantId: 'mer_1',
  amount: 2_000,
  currency: 'USD',
  ...over,
});
const reject = (reason: string): InvoicePaymentDecision =>
  ({ action: 'reject', reason }) as InvoicePaymentDecision;

/** Written out by hand from DESIGN.md: what attempt n > 1 does on the invoice's intent, by status. */
const LATER_ATTEMPT: Record<PaymentIntentStatus, InvoicePaymentDecision> = {
  created: reject('intent_in_flight'),
  authorizing: reject('intent_in_flight'),
  authorized: reject('intent_in_flight'),
  capturing: reject('intent_in_flight'),
  canceling: reject('intent_in_flight'),
  captured: reject('already_paid'),
  partially_refunded: reject('already_paid'),
  refunded: reject('already_paid'),
  canceled: reject('intent_canceled'),
  failed: { action: 'authorize' },
};

describe('decideInvoicePayment', () => {
  it('attempt 1 creates the intent', () => {
    expect(decideInvoicePayment(facts())).toEqual({ action: 'create' });
  });

  it('waits while the merchant is unknown, whatever else holds (never a default schedule)', () => {
    for (const over of [
      {},
      { attempt: 2, lastDecidedAttempt: 1, intent: intent('failed') },
      { attempt: 5 },
    ]) {
      expect(decideInvoicePayment(facts({ ...over, merchantKnown: false }))).toEqual({
        action: 'wait_for_merchant',
      });
    }
  });

  it.each(PAYMENT_INTENT_STATUSES)('attempt 2 on an intent %s', (status) => {
    expect(
      decideInvoicePayment(facts({ attempt: 2, lastDecidedAttempt: 1, intent: intent(status) })),
    ).toEqual(LATER_ATTEMPT[status]);
  });

  it('an attempt at or before one already decided is superseded, and so is attempt 1 once an intent exists', () => {
    expect(
      decideInvoicePayment(facts({ attempt: 2, lastDecidedAttempt: 3, intent: intent('failed') })),
    ).toEqual(reject('attempt_superseded'));
    expect(
      decideInvoicePayment(facts({ attempt: 3, lastDecidedAttempt: 3, intent: intent('failed') })),
    ).toEqual(reject('attempt_superseded'));
    expect(decideInvoicePayment(facts({ attempt: 1, intent: intent('failed') }))).toEqual(
      reject('attempt_superseded'),
    );
  });

  it('numbers may skip: attempts billing failed itself (no usable card) never reached intents', () => {
    expect(
      decideInvoicePayment(facts({ attempt: 4, lastDecidedAttempt: 2, intent: intent('failed') })),
    ).toEqual({ action: 'authorize' });
  });

  it('a rejected attempt counts: the one after it applies', () => {
    expect(
      decideInvoicePayment(facts({ attempt: 3, lastDecidedAttempt: 2, intent: intent('failed') })),
    ).toEqual({
      action: 'authorize',
    });
  });

  it('the first attempt to reach intents creates the intent, whatever its number', () => {
    expect(decideInvoicePayment(facts({ attempt: 2, lastDecidedAttempt: 0 }))).toEqual({ action: 'create' });
    expect(decideInvoicePayment(facts({ attempt: 5, lastDecidedAttempt: 1 }))).toEqual({ action: 'create' });
  });

  it('refuses an intent of another merchant, amount or currency', () => {
    const later = { attempt: 2, lastDecidedAttempt: 1 };
    for (const other of [{ merchantId: 'mer_2' }, { amount: 1_999 }, { currency: 'EUR' }]) {
      expect(decideInvoicePayment(facts({ ...later, intent: intent('failed', other) }))).toEqual(
        reject('invoice_mismatch'),
      );
    }
    // the command's currency in any case
    expect(decideInvoicePayment(facts({ ...later, currency: 'USD', intent: intent('failed') }))).toEqual({
      action: 'authorize',
    });
  });
});
