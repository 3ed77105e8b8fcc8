import { DEFAULT_FEE_SCHEDULE, feeChargeFor, parseFeeSchedule } from './fee-schedule';

describe('fee schedule', () => {
  it('defaults to 290 bps with 30 fixed for exponent-2 currencies and 0 otherwise', () => {
    expect(parseFeeSchedule(undefined)).toBe(DEFAULT_FEE_SCHEDULE);
    expect(feeChargeFor(DEFAULT_FEE_SCHEDULE, 'USD')).toEqual({ fee_bps: 290, fee_fixed: 30 });
    expect(feeChargeFor(DEFAULT_FEE_SCHEDULE, 'JPY')).toEqual({ fee_bps: 290, fee_fixed: 0 });
    expect(feeChargeFor(DEFAULT_FEE_SCHEDULE, 'KWD')).toEqual({ fee_bps: 290, fee_fixed: 0 });
  });

  it("uses the merchant's fixed fee for the currency, and none for a currency it does not name", () => {
    const schedule = parseFeeSchedule('{"fee_bps":150,"fee_fixed":{"usd":25,"EUR":20}}');
    expect(feeChargeFor(schedule, 'USD')).toEqual({ fee_bps: 150, fee_fixed: 25 });
    expect(feeChargeFor(schedule, 'GBP')).toEqual({ fee_bps: 150, fee_fixed: 0 });
  });

  it.each([
    'nope',
    '[]',
    '{"fee_bps":-1}',
    '{"fee_bps":1.5}',
    '{"fee_bps":10001}',
    '{"fee_bps":1,"fee_fixed":{"XYZ":1}}',
    '{"fee_bps":1,"fee_fixed":{"USD":-3}}',
  ])('refuses %s with a 400 naming the header', (header) => {
    expect(() => parseFeeSchedule(header)).toThrow(
      expect.objectContaining({ status: 400, param: 'x-merchant-fee-schedule' }),
    );
  });
});
