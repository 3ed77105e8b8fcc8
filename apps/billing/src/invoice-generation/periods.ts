import type { PriceInterval } from '@payflow/contracts';

/**
 * Billing periods on the customer's clock, in epoch SECONDS (UTC).
 *
 * Boundaries form a grid anchored at the billing cycle anchor: boundary n is computed from the
 * anchor itself (`addInterval(anchor, …, n)`), never by adding an interval to the previous
 * boundary — adding one month to Feb 29 would drift the anchor day to the 29th for ever after
 * (Jan 31 → Feb 29 → Mar 29 …) where the contract wants Jan 31 → Feb 29 → Mar 31 → Apr 30.
 * Calendar arithmetic is in UTC, like Stripe's; day and week intervals are fixed 86 400 s days.
 */

const DAY = 86_400;

function checkInterval(interval: PriceInterval, count: number): void {
  if (!['day', 'week', 'month', 'year'].includes(interval)) throw new RangeError(`unknown interval ${String(interval)}`);
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`interval_count must be a positive integer, got ${count}`);
}

function daysInMonth(year: number, month0: number): number {
  return new Date(Date.UTC(year, month0 + 1, 0)).getUTCDate();
}

/**
 * The n-th boundary of the grid (n may be negative: the grid extends before the anchor, which is
 * how a stub first period — a start before the anchor — is measured against a whole period).
 * Months and years keep the anchor's day of month and time of day, clamped to the month's end.
 */
export function addInterval(anchor: number, interval: PriceInterval, count: number, n: number): number {
  checkInterval(interval, count);
  if (!Number.isSafeInteger(anchor)) throw new RangeError(`anchor must be integer seconds, got ${anchor}`);
  if (!Number.isSafeInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  switch (interval) {
    case 'day':
      return anchor + n * count * DAY;
    case 'week':
      return anchor + n * count * 7 * DAY;
    case 'month':
    case 'year': {
      const a = new Date(anchor * 1000);
      const months = interval === 'month' ? n * count : n * count * 12;
      const total = a.getUTCFullYear() * 12 + a.getUTCMonth() + months;
      const year = Math.floor(total / 12);
      const month0 = total - year * 12;
      const day = Math.min(a.getUTCDate(), daysInMonth(year, month0));
      const ms = Date.UTC(year, month0, day, a.getUTCHours(), a.getUTCMinutes(), a.getUTCSeconds());
      // Date.UTC maps years 0–99 to 1900+; billing times are never there, but stay exact anyway.
      const fixed = year >= 0 && year < 100 ? new Date(ms).setUTCFullYear(year) : ms;
      return Math.floor(fixed / 1000);
    }
  }
}

function approximateLength(interval: PriceInterval, count: number): number {
  const days = { day: 1, week: 7, month: 30.436875, year: 365.2425 }[interval];
  return days * count * DAY;
}

/** The index n of the grid period containing t: addInterval(n) <= t < addInterval(n + 1). */
export function periodIndex(anchor: number, interval: PriceInterval, count: number, t: number): number {
  let n = Math.floor((t - anchor) / approximateLength(interval, count));
  while (addInterval(anchor, interval, count, n) > t) n -= 1;
  while (addInterval(anchor, interval, count, n + 1) <= t) n += 1;
  return n;
}

/** The grid period containing t, [start, end). */
export function gridPeriod(
  anchor: number,
  interval: PriceInterval,
  count: number,
  t: number,
): { start: number; end: number; index: number } {
  const index = periodIndex(anchor, interval, count, t);
  return {
    start: addInterval(anchor, interval, count, index),
    end: addInterval(anchor, interval, count, index + 1),
    index,
  };
}

/** The first boundary strictly after t. */
export function nextBoundary(anchor: number, interval: PriceInterval, count: number, t: number): number {
  return addInterval(anchor, interval, count, periodIndex(anchor, interval, count, t) + 1);
}

/** Every boundary b of the grid with from <= b <= to (both inclusive), ascending. */
export function periodBoundaries(
  anchor: number,
  interval: PriceInterval,
  interval_count: number,
  from: number,
  to: number,
): number[] {
  checkInterval(interval, interval_count);
  const out: number[] = [];
  if (to < from) return out;
  let n = periodIndex(anchor, interval, interval_count, from);
  let b = addInterval(anchor, interval, interval_count, n);
  if (b < from) b = addInterval(anchor, interval, interval_count, (n += 1));
  while (b <= to) {
    out.push(b);
    b = addInterval(anchor, interval, interval_count, (n += 1));
  }
  return out;
}
