import type { CustomerRow } from './customer.row';
import { decideCustomerUpdate } from './customer-changes';

const customer = (overrides: Partial<CustomerRow> = {}): CustomerRow => ({
  id: 'cus_1',
  merchant_id: 'mer_1',
  email: 'a@example.com',
  name: 'A',
  payment_method: 'pm_card_visa',
  test_clock_id: null,
  metadata: { plan: 'pro', region: 'eu' },
  created_at: new Date(0),
  updated_at: new Date(0),
  balance: {},
  ...overrides,
});

describe('decideCustomerUpdate', () => {
  it('changes nothing for an empty update', () => {
    expect(decideCustomerUpdate(customer(), {})).toEqual({ ok: true, changes: {}, paymentMethodChanged: false });
  });

  it('sets email and name; an empty name clears it', () => {
    expect(decideCustomerUpdate(customer(), { email: 'b@example.com', name: '' })).toEqual({
      ok: true,
      changes: { email: 'b@example.com', name: null },
      paymentMethodChanged: false,
    });
  });

  it('merges metadata and removes keys set to ""', () => {
    const decision = decideCustomerUpdate(customer(), { metadata: { region: '', tier: 'gold', plan: 'team' } });
    expect(decision).toEqual({
      ok: true,
      changes: { metadata: { plan: 'team', tier: 'gold' } },
      paymentMethodChanged: false,
    });
  });

  it('refuses a merge that passes 50 keys, naming metadata', () => {
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, 'v']));
    expect(decideCustomerUpdate(customer(), { metadata: many })).toMatchObject({ ok: false, param: 'metadata' });
    // …while replacing keys that exist keeps the count.
    const replacing = { ...many, plan: '', region: '' };
    expect(decideCustomerUpdate(customer(), { metadata: replacing })).toMatchObject({ ok: true });
  });

  it('a new card is a change that dunning must hear of; the same card again is not', () => {
    expect(decideCustomerUpdate(customer(), { payment_method: 'pm_card_mastercard' })).toEqual({
      ok: true,
      changes: { payment_method: 'pm_card_mastercard' },
      paymentMethodChanged: true,
    });
    expect(decideCustomerUpdate(customer(), { payment_method: 'pm_card_visa' })).toEqual({
      ok: true,
      changes: {},
      paymentMethodChanged: false,
    });
    expect(decideCustomerUpdate(customer({ payment_method: null }), { payment_method: 'pm_card_visa' })).toMatchObject({
      paymentMethodChanged: true,
    });
  });
});
