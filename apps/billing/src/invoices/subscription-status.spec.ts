import { SUBSCRIPTION_STATUSES } from '@payflow/contracts';
import { statusAfterPaid, statusAfterPaymentFailed } from './subscription-status';

describe('statusAfterPaid', () => {
  it('activates an incomplete subscription on its first invoice', () => {
    expect(statusAfterPaid('incomplete', false)).toEqual({ status: 'active', reason: 'first_invoice_paid' });
    expect(statusAfterPaid('incomplete', true)).toEqual({ status: 'active', reason: 'first_invoice_paid' });
  });

  it('brings past_due and unpaid back to active once no failed invoice is left open', () => {
    expect(statusAfterPaid('past_due', false)).toEqual({ status: 'active', reason: 'invoice_paid' });
    expect(statusAfterPaid('unpaid', false)).toEqual({ status: 'active', reason: 'invoice_paid' });
    expect(statusAfterPaid('past_due', true)).toBeNull();
    expect(statusAfterPaid('unpaid', true)).toBeNull();
  });

  it.each(['active', 'trialing', 'canceled', 'incomplete_expired'] as const)('leaves %s alone', (status) => {
    expect(statusAfterPaid(status, false)).toBeNull();
  });
});

describe('statusAfterPaymentFailed', () => {
  it('makes a renewing subscription past_due', () => {
    expect(statusAfterPaymentFailed('active')).toEqual({ status: 'past_due', reason: 'invoice_payment_failed' });
    expect(statusAfterPaymentFailed('trialing')).toEqual({ status: 'past_due', reason: 'invoice_payment_failed' });
  });

  it('leaves every other status alone (a first invoice stays incomplete)', () => {
    for (const status of SUBSCRIPTION_STATUSES.filter((s) => s !== 'active' && s !== 'trialing')) {
      expect(statusAfterPaymentFailed(status)).toBeNull();
    }
  });
});
