import type { InvoiceStatus } from '@payflow/contracts';
import { retryOutcomeOf } from './retry-rules';

const open = { status: 'open' as InvoiceStatus, billing_reason: 'subscription_cycle' as const, payment_pending: false, attempt_count: 1 };

describe('retryOutcomeOf', () => {
  it('requests attempt n+1 of an open invoice whose last attempt is n and nothing in flight', () => {
    expect(retryOutcomeOf(open, 2)).toBe('requested');
    expect(retryOutcomeOf({ ...open, attempt_count: 7 }, 8)).toBe('requested');
    expect(retryOutcomeOf({ ...open, billing_reason: 'manual' }, 2)).toBe('requested');
    expect(retryOutcomeOf({ ...open, billing_reason: 'subscription_update' }, 2)).toBe('requested');
  });

  it('drops a retry of an invoice that is not open, whatever the attempt', () => {
    for (const status of ['draft', 'paid', 'void', 'uncollectible'] as InvoiceStatus[]) {
      expect(retryOutcomeOf({ ...open, status }, 2)).toBe('not_open');
    }
  });

  it("drops a retry of a subscription's first invoice (never dunned)", () => {
    expect(retryOutcomeOf({ ...open, billing_reason: 'subscription_create' }, 2)).toBe('first_invoice');
  });

  it('drops a retry while an attempt is in flight (its answer decides)', () => {
    expect(retryOutcomeOf({ ...open, payment_pending: true }, 2)).toBe('in_flight');
    expect(retryOutcomeOf({ ...open, attempt_count: 2, payment_pending: true }, 3)).toBe('in_flight');
  });

  it('drops a retry that is not the next attempt: a duplicate, one overtaken by another attempt, or one from the future', () => {
    expect(retryOutcomeOf({ ...open, attempt_count: 2 }, 2)).toBe('stale_attempt');
    expect(retryOutcomeOf({ ...open, attempt_count: 3 }, 2)).toBe('stale_attempt');
    expect(retryOutcomeOf({ ...open, attempt_count: 1 }, 3)).toBe('stale_attempt');
  });
});
