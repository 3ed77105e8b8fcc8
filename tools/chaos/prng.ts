/**
 * The harness's only source of randomness: mulberry32, a small seeded PRNG (the simulator uses the
 * same one), so `--seed S` repeats the same workload and fault schedule. Separate streams (workload,
 * faults) are derived from the seed so that changing one never shifts the other's draws.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of `options`, chosen with probability proportional to its weight. */
  weighted<T>(options: readonly (readonly [T, number])[]): T;
}

export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stream of its own for each purpose: the same seed and name always give the same stream. */
export function randomStream(seed: number, name: string): Random {
  let mixed = seed >>> 0;
  for (const char of name) mixed = Math.imul(mixed ^ char.charCodeAt(0), 0x01000193) >>> 0;
  const next = mulberry32(mixed);
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(next() * items.length)];
    },
    weighted: (options) => {
      const total = options.reduce((sum, [, weight]) => sum + weight, 0);
      let point = next() * total;
      for (const [value, weight] of options) {
        point -= weight;
        if (point < 0) return value;
      }
      return options[options.length - 1][0];
    },
  };
  return random;
}
