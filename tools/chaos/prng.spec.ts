import { mulberry32, randomStream } from './prng';

describe('seeded randomness', () => {
  it('repeats the same sequence for the same seed and stream', () => {
    const a = randomStream(42, 'payments');
    const b = randomStream(42, 'payments');
    expect(Array.from({ length: 20 }, () => a.next())).toEqual(Array.from({ length: 20 }, () => b.next()));
  });

  it('gives different streams for different seeds or names', () => {
    const first = randomStream(42, 'payments').next();
    expect(randomStream(43, 'payments').next()).not.toBe(first);
    expect(randomStream(42, 'faults').next()).not.toBe(first);
  });

  it('stays in range', () => {
    const random = randomStream(7, 'range');
    for (let i = 0; i < 1000; i++) {
      const n = random.int(3, 9);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(9);
      expect(Number.isInteger(n)).toBe(true);
    }
    const next = mulberry32(1);
    for (let i = 0; i < 1000; i++) {
      const x = next();
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThan(1);
    }
  });

  it('draws weighted choices in proportion to their weights', () => {
    const random = randomStream(1, 'weights');
    let heavy = 0;
    for (let i = 0; i < 10_000; i++)
      if (
        random.weighted([
          ['heavy', 9],
          ['light', 1],
        ] as const) === 'heavy'
      )
        heavy++;
    expect(heavy).toBeGreaterThan(8_700);
    expect(heavy).toBeLessThan(9_300);
  });

  it('never picks from an empty list', () => {
    expect(() => randomStream(1, 'x').pick([])).toThrow('empty');
  });
});
