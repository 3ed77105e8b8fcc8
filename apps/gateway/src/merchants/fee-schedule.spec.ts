import {
  DEFAULT_FEE_BPS,
  defaultFixedFeeMinor,
  feeScheduleHeader,
  fixedFeeFor,
  normalizeFeeFixed,
  scheduleFromRequest,
} from './fee-schedule';

describe('fee schedule defaults', () => {
  it('charges 30 minor units in exponent-2 currencies and nothing fixed in the others', () => {
    expect(defaultFixedFeeMinor('USD')).toBe(30);
    expect(defaultFixedFeeMinor('eur')).toBe(30);
    expect(defaultFixedFeeMinor('JPY')).toBe(0);
    expect(defaultFixedFeeMinor('KWD')).toBe(0);
    expect(defaultFixedFeeMinor('CLF')).toBe(0);
  });

  it('gives a new merchant 290 bps and the default fixed fees unless told otherwise', () => {
    expect(scheduleFromRequest({})).toEqual({ fee_bps: DEFAULT_FEE_BPS, fee_fixed: null });
    expect(scheduleFromRequest({ fee_bps: 0 })).toEqual({ fee_bps: 0, fee_fixed: null });
    expect(scheduleFromRequest({ fee_bps: 150, fee_fixed: { usd: 25, JPY: 5 } })).toEqual({
      fee_bps: 150,
      fee_fixed: { JPY: 5, USD: 25 },
    });
    expect(scheduleFromRequest({ fee_fixed: {} })).toEqual({ fee_bps: DEFAULT_FEE_BPS, fee_fixed: {} });
  });

  it('applies the default only to a schedule without fixed fees', () => {
    const byDefault = { fee_bps: 290, fee_fixed: null };
    expect(fixedFeeFor(byDefault, 'usd')).toBe(30);
    expect(fixedFeeFor(byDefault, 'JPY')).toBe(0);
  });

  it('takes an explicit map as the whole story: its fees, and 0 where it names none', () => {
    const explicit = { fee_bps: 290, fee_fixed: { USD: 0, JPY: 10 } };
    expect(fixedFeeFor(explicit, 'usd')).toBe(0);
    expect(fixedFeeFor(explicit, 'JPY')).toBe(10);
    expect(fixedFeeFor(explicit, 'EUR')).toBe(0);
    expect(fixedFeeFor({ fee_bps: 290, fee_fixed: {} }, 'USD')).toBe(0);
  });

  it('normalizes codes and renders the forwarded header in a stable order', () => {
    expect(normalizeFeeFixed({ eur: 25, Usd: 30 })).toEqual({ EUR: 25, USD: 30 });
    expect(feeScheduleHeader({ fee_bps: 290, fee_fixed: { USD: 30, EUR: 25 } })).toBe(
      '{"fee_bps":290,"fee_fixed":{"EUR":25,"USD":30}}',
    );
    expect(feeScheduleHeader({ fee_bps: 120, fee_fixed: null })).toBe('{"fee_bps":120}');
    expect(feeScheduleHeader({ fee_bps: 120, fee_fixed: {} })).toBe('{"fee_bps":120,"fee_fixed":{}}');
  });
});
