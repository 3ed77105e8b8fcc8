import fc from 'fast-check';
import type { PriceInterval, ProrationBehavior } from '@payflow/contracts';
import {
  foldSubscription,
  paidStart,
  periodContaining,
  type StreamItem,
  type SubscriptionEvent,
} from '../subscriptions/subscription-stream';
import { canonicalJson, linesHash } from './canonical';
import { correctedLineId, generateInvoiceLines, nextInvoiceAt, type GeneratedLine } from './generate';
import { checkInvoiceInvariants } from './invariants';
import { addInterval, nextBoundary, periodIndex } from './periods';
import { price, seconds, StreamBuilder } from './testing/stream-builder';

/**
 * Random histories billed the way the service bills them (at creation, after every change or
 * cancel, at every renewal, trial end and scheduled cancel), each run with everything invoiced
 * before. At the end, every period's net billed amount is compared with an independent reference
 * — Σ unit_amount × quantity × seconds billed ÷ seconds in the period, in exact rationals — and
 * the structural properties are checked.
 */

type Op =
  | { kind: 'change'; wait: number; price: number; quantity: number; behavior: ProrationBehavior; backdate: number }
  | { kind: 'cancel_now'; wait: number; prorate: boolean; invoice_now: boolean; backdate: number }
  | { kind: 'cancel_at_period_end'; wait: number }
  | { kind: 'uncancel'; wait: number }
  | { kind: 'end_trial'; wait: number }
  | { kind: 'wait'; wait: number };

interface History {
  start: number;
  interval: [PriceInterval, number];
  units: number[];
  quantity: number;
  anchorPermille: number | null;
  /** Trial length in thousandths of a period. */
  trialPermille: number | null;
  ops: Op[];
}

// Waits and backdating in thousandths of a period: mostly within a period (several events in the
// same period is where prorations interact), sometimes across boundaries.
const permille = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 300 }), weight: 4 },
  { arbitrary: fc.integer({ min: 1, max: 1500 }), weight: 2 },
);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('change' as const),
    wait: permille,
    price: fc.integer({ min: 0, max: 2 }),
    quantity: fc.integer({ min: 1, max: 6 }),
    behavior: fc.constantFrom<ProrationBehavior>('create_prorations', 'always_invoice', 'none'),
    backdate: permille,
  }),
  fc.record({ kind: fc.constant('cancel_now' as const), wait: permille, prorate: fc.boolean(), invoice_now: fc.boolean(), backdate: permille }),
  fc.record({ kind: fc.constant('cancel_at_period_end' as const), wait: permille }),
  fc.record({ kind: fc.constant('uncancel' as const), wait: permille }),
  fc.record({ kind: fc.constant('end_trial' as const), wait: permille }),
  fc.record({ kind: fc.constant('wait' as const), wait: permille }),
);
const historyArb: fc.Arbitrary<History> = fc.record({
  start: fc.integer({ min: seconds('2023-01-01T00:00:00Z'), max: seconds('2027-12-31T00:00:00Z') }),
  interval: fc.constantFrom<[PriceInterval, number]>(['day', 1], ['day', 3], ['week', 1], ['week', 2], ['month', 1], ['month', 3], ['year', 1]),
  units: fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 3, maxLength: 3 }),
  quantity: fc.integer({ min: 1, max: 5 }),
  anchorPermille: fc.option(fc.integer({ min: 1, max: 999 }), { nil: null }),
  trialPermille: fc.option(fc.integer({ min: 1, max: 1500 }), { nil: null, freq: 2 }),
  ops: fc.array(opArb, { maxLength: 8 }),
});

const approxSeconds: Record<PriceInterval, number> = { day: 86_400, week: 604_800, month: 2_629_746, year: 31_556_952 };

interface Run {
  stream: SubscriptionEvent[];
  invoiced: GeneratedLine[];
  upTo: number;
}

function simulate(h: History): Run {
  const [interval, count] = h.interval;
  const length = approxSeconds[interval] * count;
  const scaled = (p: number): number => Math.round((p / 1000) * length);
  const prices = h.units.map((unit, i) => price(`price_${i}`, unit, interval, count));
  const items = (i: number, quantity: number): StreamItem[] => [{ price: prices[i], quantity }];
  const trialEnd = h.trialPermille === null ? null : h.start + scaled(h.trialPermille);
  const anchor = h.anchorPermille === null ? undefined : (trialEnd ?? h.start) + scaled(h.anchorPermille) / 1.5;
  const b = new StreamBuilder(h.start, items(0, h.quantity), { trial_end: trialEnd, anchor: anchor === undefined ? undefined : Math.round(anchor) });
  const invoiced: GeneratedLine[] = [];

  const bill = (at: number): void => {
    const result = generateInvoiceLines(b.stream, at, invoiced);
    expect(result.violations).toEqual([]);
    invoiced.push(...result.lines);
    expect(generateInvoiceLines(b.stream, at, invoiced).lines).toEqual([]); // idempotent
  };
  // Everything the scheduler would do up to `target`: trial end, scheduled cancel, renewals.
  let now = h.start;
  const advance = (target: number): void => {
    for (;;) {
      const state = foldSubscription(b.stream);
      const due: number[] = [];
      const renew = nextInvoiceAt(b.stream, now, invoiced);
      if (renew !== null) due.push(renew);
      if (state.status === 'trialing' && state.trial_end !== null) due.push(Math.max(state.trial_end, now));
      const scheduled = [...b.events].reverse().find((e) => e.type === 'cancel_scheduled' || e.type === 'cancel_unscheduled');
      if (state.status !== 'canceled' && scheduled?.type === 'cancel_scheduled') due.push(Math.max(scheduled.data.cancel_at, now));
      const next = Math.min(...due);
      if (!(next <= target)) break;
      now = next;
      if (state.status === 'trialing' && state.trial_end !== null && state.trial_end <= now) b.endTrial(now);
      if (state.status !== 'canceled' && scheduled?.type === 'cancel_scheduled' && scheduled.data.cancel_at <= now) {
        b.cancel(now, { effective_at: scheduled.data.cancel_at });
      }
      bill(now);
    }
    now = target;
  };

  bill(h.start);
  for (const op of h.ops) {
    advance(now + scaled(op.wait));
    const state = foldSubscription(b.stream);
    if (state.status === 'canceled') continue;
    const backdated = (p: number): number => Math.max(h.start, now - scaled(p));
    switch (op.kind) {
      case 'change':
        b.change(now, items(op.price, op.quantity), op.behavior, backdated(op.backdate));
        break;
      case 'cancel_now':
        b.cancel(now, { effective_at: backdated(op.backdate), prorate: op.prorate, invoice_now: op.invoice_now });
        break;
      case 'cancel_at_period_end':
        b.scheduleCancel(now, periodContaining(state, now).end);
        break;
      case 'uncancel':
        if (state.cancel_at_period_end) b.unscheduleCancel(now);
        break;
      case 'end_trial':
        if (state.status === 'trialing') b.endTrial(now);
        break;
      case 'wait':
        break;
    }
    bill(now);
  }
  // Bill through the first boundary after the last event: every pending line has landed by then.
  const final = foldSubscription(b.stream);
  const upTo = Math.max(nextBoundary(final.billing_cycle_anchor, interval, count, Math.max(now, paidStart(final))), now);
  advance(upTo);
  bill(upTo);
  return { stream: b.stream, invoiced, upTo };
}

/** Exact owed per grid period index, as numerator / period length (BigInt). */
function reference(stream: SubscriptionEvent[], upTo: number): Map<number, { owed: bigint; length: bigint }> {
  const state = foldSubscription(stream);
  const created = stream[0];
  if (created.type !== 'created') throw new Error('unreachable');
  const { interval, interval_count: count } = created.data.items[0].price;
  const anchor = state.billing_cycle_anchor;
  const p0 = paidStart(state);
  const configs: { v: number; eff: number; items: StreamItem[]; behavior: string }[] = [
    { v: 1, eff: created.at, items: created.data.items, behavior: 'initial' },
  ];
  let end = Number.POSITIVE_INFINITY;
  let prorateAtEnd = false;
  let scheduledAt: number | null = null;
  let canceled: { at: number; prorate: boolean } | null = null;
  for (const e of stream) {
    if (e.type === 'items_changed') configs.push({ v: e.version, eff: Math.max(e.data.proration_date, created.at), items: e.data.items, behavior: e.data.proration_behavior });
    if (e.type === 'cancel_scheduled') scheduledAt = e.data.cancel_at;
    if (e.type === 'cancel_unscheduled') scheduledAt = null;
    if (e.type === 'canceled' && !canceled) canceled = { at: e.data.effective_at, prorate: e.data.prorate };
  }
  if (canceled) [end, prorateAtEnd] = [canceled.at, canceled.prorate];
  if (scheduledAt !== null && scheduledAt < end) [end, prorateAtEnd] = [scheduledAt, false];
  const itemsAt = (t: number): (typeof configs)[number] =>
    configs.filter((c) => c.eff <= t).reduce((best, c) => (c.v > best.v ? c : best));
  const rate = (items: StreamItem[]): bigint => items.reduce((sum, i) => sum + BigInt(i.price.unit_amount) * BigInt(i.quantity), 0n);

  const owed = new Map<number, { owed: bigint; length: bigint }>();
  for (let n = periodIndex(anchor, interval, count, p0); ; n += 1) {
    const b = addInterval(anchor, interval, count, n);
    const e = addInterval(anchor, interval, count, n + 1);
    const a = Math.max(b, p0);
    if (a > upTo || a >= end) break;
    let determining = itemsAt(a);
    let billed = determining.items;
    let from = a;
    let sum = 0n;
    const cutoff = Math.min(e, end);
    const breakpoints = [...new Set(configs.map((c) => c.eff))].filter((t) => t > a && t < cutoff).sort((x, y) => x - y);
    for (const t of breakpoints) {
      const config = itemsAt(t);
      if (config.v === determining.v) continue;
      determining = config;
      if (config.behavior === 'none') continue; // billed as before until the next period
      sum += rate(billed) * BigInt(t - from);
      [billed, from] = [config.items, t];
    }
    const until = end < e && prorateAtEnd ? end : e; // without proration the period is paid in full
    sum += rate(billed) * BigInt(until - from);
    owed.set(n, { owed: sum, length: BigInt(e - b) });
  }
  return owed;
}

function checkAgainstReference(run: Run, lines: readonly GeneratedLine[]): void {
  const state = foldSubscription(run.stream);
  const { interval, interval_count: count } = run.stream[0].type === 'created' ? run.stream[0].data.items[0].price : ({} as never);
  const owed = reference(run.stream, run.upTo);
  const billed = new Map<number, { net: number; lines: number }>();
  for (const line of lines) {
    const n = periodIndex(state.billing_cycle_anchor, interval, count, line.period.start);
    const entry = billed.get(n) ?? { net: 0, lines: 0 };
    billed.set(n, { net: entry.net + line.amount, lines: entry.lines + 1 });
  }
  for (const n of new Set([...owed.keys(), ...billed.keys()])) {
    const exact = owed.get(n) ?? { owed: 0n, length: 1n };
    const got = billed.get(n) ?? { net: 0, lines: 0 };
    const error = BigInt(got.net) * exact.length - exact.owed;
    const tolerance = BigInt(got.lines) * exact.length; // within 1 minor unit per line
    if ((error < 0n ? -error : error) > tolerance) {
      throw new Error(`period ${n}: billed ${got.net} over ${got.lines} lines, owed ${exact.owed}/${exact.length}`);
    }
  }
}

describe('generateInvoiceLines over random histories', () => {
  it('bills exactly what is owed, never the same period twice, repairs no more than billed, idempotent and deterministic', () => {
    fc.assert(
      fc.property(historyArb, (history) => {
        const run = simulate(history);
        const { invoiced, stream, upTo } = run;

        // over every period, net billed = exact owed within 1 minor unit per line
        checkAgainstReference(run, invoiced);
        // and the same from scratch, billing everything at once
        checkAgainstReference(run, generateInvoiceLines(stream, upTo, []).lines);

        // no two recurring lines in force for the same period of a price
        const byId = new Map(invoiced.map((l) => [l.id, l]));
        const inForce = new Map<string, number>();
        for (const line of invoiced) {
          const corrected = correctedLineId(line.kind);
          const target = corrected === null ? line : byId.get(corrected);
          expect(target).toBeDefined();
          if (!target || !target.kind.startsWith('recurring:')) continue;
          const key = `${target.price}@${target.period.start}`;
          const delta = corrected === null ? 1 : line.kind.startsWith('repair:') ? -1 : 1;
          inForce.set(key, (inForce.get(key) ?? 0) + delta);
        }
        for (const count of inForce.values()) expect(count === 0 || count === 1).toBe(true);

        // repairs never exceed what was billed: each is exactly minus its line, never below zero
        for (const line of invoiced) {
          const corrected = correctedLineId(line.kind);
          if (corrected === null) continue;
          const original = byId.get(corrected);
          expect(line.amount).toBe(line.kind.startsWith('repair:') ? -(original?.amount ?? Number.NaN) || 0 : original?.amount);
        }
        expect(checkInvoiceInvariants(invoiced, [])).toEqual([]);
        expect(new Set(invoiced.map((l) => l.id)).size).toBe(invoiced.length);

        // billed again with everything invoiced: nothing more
        expect(generateInvoiceLines(stream, upTo, invoiced).lines).toEqual([]);

        // deterministic: the same history gives the same lines, byte for byte
        const again = simulate(history);
        expect(canonicalJson(again.invoiced)).toBe(canonicalJson(invoiced));
        expect(linesHash(again.invoiced)).toBe(linesHash(invoiced));
      }),
      { numRuns: 400 },
    );
  });
});
