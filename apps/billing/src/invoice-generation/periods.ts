import type { PriceInterval } from '@payflow/contracts';

export function addInterval(anchor: number, interval: PriceInterval, count: number, n: number): number {
  void [anchor, interval, count, n];
  throw new Error('not implemented');
}

export function periodBoundaries(
  anchor: number,
  interval: PriceInterval,
  interval_count: number,
  from: number,
  to: number,
): number[] {
  void [anchor, interval, interval_count, from, to];
  throw new Error('not implemented');
}
