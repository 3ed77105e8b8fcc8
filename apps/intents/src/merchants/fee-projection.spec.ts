import { replacesSchedule, scheduleVersionOf } from './fee-projection';

describe('fee projection', () => {
  it('applies only a newer version', () => {
    expect(replacesSchedule(null, 1)).toBe(true);
    expect(replacesSchedule(1, 2)).toBe(true);
    expect(replacesSchedule(2, 2)).toBe(false); // a redelivery
    expect(replacesSchedule(3, 2)).toBe(false); // overtaken
  });

  it('stores currencies upper case', () => {
    expect(
      scheduleVersionOf({
        id: 'mer_1',
        name: 'Shop',
        fee_bps: 150,
        fee_fixed: { usd: 25, JPY: 0 },
        version: 4,
      }),
    ).toEqual({
      merchant_id: 'mer_1',
      name: 'Shop',
      fee_bps: 150,
      fee_fixed: { USD: 25, JPY: 0 },
      version: 4,
    });
  });

  it('refuses a fixed fee that is not a currency with an integer amount', () => {
    const base = { id: 'mer_1', name: 'Shop', fee_bps: 150, version: 1 };
    const malformed: Record<string, number>[] = [
      { usd: 2.5 },
      { usd: -1 },
      { xyz: 10 },
      { usd: '30' as unknown as number },
    ];
    for (const fee_fixed of malformed) {
      expect(() => scheduleVersionOf({ ...base, fee_fixed })).toThrow(/fee_fixed/);
    }
  });
});
