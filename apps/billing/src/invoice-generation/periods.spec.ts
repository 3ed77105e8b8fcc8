import { addInterval, gridPeriod, nextBoundary, periodBoundaries, periodIndex } from './periods';

const t = (iso: string): number => Date.parse(iso) / 1000;
const iso = (s: number): string => new Date(s * 1000).toISOString();
const lastDay = (year: number, month0: number): number => new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();

describe('addInterval: the n-th boundary from the anchor', () => {
  it('keeps the anchor day of Jan 31 2024 every month through 2030, clamped to month ends, never stopping', () => {
    const anchor = t('2024-01-31T10:20:30Z');
    const bounds = periodBoundaries(anchor, 'month', 1, anchor, t('2030-12-31T23:59:59Z'));
    expect(bounds).toHaveLength(7 * 12);
    bounds.forEach((b, n) => {
      expect(addInterval(anchor, 'month', 1, n)).toBe(b);
      const year = 2024 + Math.floor(n / 12);
      const month0 = n % 12;
      const day = Math.min(31, lastDay(year, month0));
      expect(iso(b)).toBe(`${year}-${String(month0 + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}T10:20:30.000Z`);
    });
    expect(bounds.slice(0, 5).map(iso)).toEqual([
      '2024-01-31T10:20:30.000Z',
      '2024-02-29T10:20:30.000Z',
      '2024-03-31T10:20:30.000Z',
      '2024-04-30T10:20:30.000Z',
      '2024-05-31T10:20:30.000Z',
    ]);
    expect(iso(addInterval(anchor, 'month', 1, 13))).toBe('2025-02-28T10:20:30.000Z');
  });

  it('yearly from Feb 29 2024: Feb 28 2025, 2026, 2027, then Feb 29 2028', () => {
    const anchor = t('2024-02-29T00:00:00Z');
    expect([1, 2, 3, 4].map((n) => iso(addInterval(anchor, 'year', 1, n)))).toEqual([
      '2025-02-28T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
      '2027-02-28T00:00:00.000Z',
      '2028-02-29T00:00:00.000Z',
    ]);
  });

  it('multiplies by interval_count and goes backwards for negative n', () => {
    const anchor = t('2024-01-31T00:00:00Z');
    expect(iso(addInterval(anchor, 'month', 3, 1))).toBe('2024-04-30T00:00:00.000Z');
    expect(iso(addInterval(anchor, 'month', 3, 2))).toBe('2024-07-31T00:00:00.000Z');
    expect(iso(addInterval(anchor, 'month', 1, -1))).toBe('2023-12-31T00:00:00.000Z');
    expect(iso(addInterval(anchor, 'month', 1, -2))).toBe('2023-11-30T00:00:00.000Z');
    expect(iso(addInterval(anchor, 'year', 2, 1))).toBe('2026-01-31T00:00:00.000Z');
    expect(addInterval(anchor, 'day', 3, 2)).toBe(anchor + 6 * 86_400);
    expect(addInterval(anchor, 'week', 2, -1)).toBe(anchor - 14 * 86_400);
    expect(addInterval(anchor, 'month', 12, 1)).toBe(addInterval(anchor, 'year', 1, 1));
  });

  it('refuses a bad interval, count or time', () => {
    expect(() => addInterval(0, 'month', 0, 1)).toThrow(RangeError);
    expect(() => addInterval(0, 'fortnight' as never, 1, 1)).toThrow(RangeError);
    expect(() => addInterval(0.5, 'month', 1, 1)).toThrow(RangeError);
    expect(() => addInterval(0, 'month', 1, 1.5)).toThrow(RangeError);
  });
});

describe('periodIndex / gridPeriod / nextBoundary / periodBoundaries', () => {
  const anchor = t('2024-01-31T00:00:00Z');

  it('finds the period containing t, boundaries belonging to the period they start', () => {
    for (const interval of ['day', 'week', 'month', 'year'] as const) {
      for (const count of [1, 2, 12]) {
        for (const n of [-30, -1, 0, 1, 7, 45]) {
          const b = addInterval(anchor, interval, count, n);
          expect(periodIndex(anchor, interval, count, b)).toBe(n);
          expect(periodIndex(anchor, interval, count, b - 1)).toBe(n - 1);
          expect(gridPeriod(anchor, interval, count, b + 1)).toEqual({ start: b, end: addInterval(anchor, interval, count, n + 1), index: n });
          expect(nextBoundary(anchor, interval, count, b)).toBe(addInterval(anchor, interval, count, n + 1));
        }
      }
    }
  });

  it('lists the boundaries in [from, to], both inclusive', () => {
    const feb = t('2024-02-29T00:00:00Z');
    const mar = t('2024-03-31T00:00:00Z');
    expect(periodBoundaries(anchor, 'month', 1, feb, mar)).toEqual([feb, mar]);
    expect(periodBoundaries(anchor, 'month', 1, feb + 1, mar - 1)).toEqual([]);
    expect(periodBoundaries(anchor, 'month', 1, mar, feb)).toEqual([]);
    expect(periodBoundaries(anchor, 'day', 1, anchor - 1, anchor + 86_400)).toEqual([anchor, anchor + 86_400]);
  });
});
