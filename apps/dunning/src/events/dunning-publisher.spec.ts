import { dunningKeyOf } from './dunning-publisher';

describe('dunningKeyOf', () => {
  it("is the customer's test clock when it has one: the clock's retries precede its clock_synced", () => {
    expect(dunningKeyOf({ invoice_id: 'in_1', subscription_id: 'sub_1', test_clock_id: 'clock_1' })).toBe('clock_1');
  });

  it("else the invoice's subscription, else the invoice", () => {
    expect(dunningKeyOf({ invoice_id: 'in_1', subscription_id: 'sub_1', test_clock_id: null })).toBe('sub_1');
    expect(dunningKeyOf({ invoice_id: 'in_1', subscription_id: null, test_clock_id: null })).toBe('in_1');
  });
});
