import { createHash } from 'node:crypto';
import type { InvoiceLineType, PriceInterval, ProrationBehavior } from '@payflow/contracts';
import {
  assertWellFormedStream,
  billingInterval,
  foldSubscription,
  paidStart,
  type StreamItem,
  type SubscriptionEvent,
} from '../subscriptions/subscription-stream';
import { checkInvoiceInvariants, type InvariantViolation, type InvoiceTotal } from './invariants';
import { addInterval, nextBoundary, periodIndex } from './periods';
import { prorateBig } from './proration';

/**
 * The invoice generator (DESIGN.md "Billing"): invoices are derived, not edited. For a stream and
 * a time, `desired` computes every line owed — recurring lines billed in advance per period,
 * proration lines for changes inside a period — and the reconciliation compares them with what
 * is already invoiced: only the difference comes out, new lines or correction lines (Kill Bill's
 * repair) for lines no longer owed. Everything is a function of its arguments: same input, same
 * output, byte for byte. Times are epoch seconds. The decisions are in docs/billing.md.
 */

export interface GeneratedLine {
  /** `il_` + sha256(subscription, period start, period end, kind, stream version), 24 hex chars. */
  id: string;
  /** `b:<boundary seconds>` for a period boundary, `now:<seconds>` for always_invoice / invoice_now. */
  invoice_key: string;
  type: InvoiceLineType;
  /**
   * `recurring:<price>` (the period billed in advance), `proration.unused:<price>` /
   * `proration.remaining:<price>` (credit for the old items / charge for the new ones after a
   * change), `cancel.unused:<price>` (credit at a prorated cancel), `repair:<line id>` /
   * `rebill:<line id>` (correction of an invoiced line no longer owed / owed again).
   */
  kind: string;
  description: string;
  price: string;
  quantity: number;
  /** Signed minor units: credits are negative. */
  amount: number;
  period: { start: number; end: number };
  stream_version: number;
}

/** What is already on invoices (any status but void). A type alias: an empty interface is a lint error. */
export type InvoicedLine = GeneratedLine;

export interface GeneratedInvoice {
  invoice_key: string;
  /** `b:<t>`: the period billed in advance from t, [t, next boundary); `now:<t>`: [t, t]. */
  period_start: number;
  period_end: number;
  lines: GeneratedLine[];
}

export interface GenerationResult {
  /** Only the difference with alreadyInvoiced, ordered by invoice then position. */
  lines: GeneratedLine[];
  /** The same lines grouped by the invoice they land on, in invoice order. */
  invoices: GeneratedInvoice[];
  violations: InvariantViolation[];
}

export interface GenerateOptions {
  /**
   * Lines of VOID invoices. They are neither owed nor regenerated: a voided invoice is the
   * merchant forgiving it (Stripe does not bill it again), so their ids are settled as they are.
   */
  voided?: readonly InvoicedLine[];
  /** The stored totals of the invoices of alreadyInvoiced, checked against their lines. */
  invoiceTotals?: readonly InvoiceTotal[];
}

export const RECURRING_KIND = 'recurring:';
export const REPAIR_KIND = 'repair:';
export const REBILL_KIND = 'rebill:';

/** The invoiced line a correction line corrects, or null for any other kind. */
export function correctedLineId(kind: string): string | null {
  if (kind.startsWith(REPAIR_KIND)) return kind.slice(REPAIR_KIND.length);
  if (kind.startsWith(REBILL_KIND)) return kind.slice(REBILL_KIND.length);
  return null;
}

export function boundaryKey(t: number): string {
  return `b:${t}`;
}

export function nowKey(t: number): string {
  return `now:${t}`;
}

/** The clock time an invoice key stands for: when its invoice is due to be created. */
export function invoiceKeyTime(key: string): number {
  const match = /^(?:b|now):(-?\d+)$/.exec(key);
  if (!match) throw new Error(`not an invoice key: ${key}`);
  return Number(match[1]);
}

/** `il_` + the first 24 hex chars of sha256 over (subscription, period, kind, stream version). */
export function lineId(subscriptionId: string, period: { start: number; end: number }, kind: string, streamVersion: number): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([subscriptionId, period.start, period.end, kind, streamVersion]))
    .digest('hex');
  return `il_${digest.slice(0, 24)}`;
}

// ---------------------------------------------------------------------------------------------
// The timeline: what the stream says about billing, in one place.

interface ConfigPoint {
  /** Version of the event whose items are in effect from `time`. */
  version: number;
  /** When that event was recorded (the customer's clock). */
  at: number;
  time: number;
  items: StreamItem[];
  behavior: ProrationBehavior | 'initial';
}

interface EndOfSubscription {
  time: number;
  version: number;
  at: number;
  prorate: boolean;
}

interface Timeline {
  subscriptionId: string;
  start: number;
  paidStart: number;
  anchor: number;
  interval: PriceInterval;
  count: number;
  /** Change points, ascending in time; the first is the creation. */
  points: ConfigPoint[];
  end: EndOfSubscription | null;
  expired: boolean;
  /** Events that invoice at once (always_invoice changes, invoice_now cancels), by version. */
  flushes: { version: number; at: number }[];
  lastVersion: number;
  atOf: Map<number, number>;
}

/** Same price twice in a list bills as one item (the service refuses it; this stays well-defined). */
function normalizeItems(items: readonly StreamItem[]): StreamItem[] {
  const byPrice = new Map<string, StreamItem>();
  for (const item of items) {
    const seen = byPrice.get(item.price.id);
    if (seen) seen.quantity += item.quantity;
    else byPrice.set(item.price.id, { price: item.price, quantity: item.quantity });
  }
  return [...byPrice.values()].filter((item) => item.quantity > 0);
}

function timeline(stream: readonly SubscriptionEvent[]): Timeline {
  const state = foldSubscription(stream);
  const created = stream[0];
  if (created.type !== 'created') throw new Error('unreachable');
  const { interval, interval_count } = billingInterval(created.data.items);
  const start = created.at;
  const configs: ConfigPoint[] = [
    { version: 1, at: created.at, time: start, items: normalizeItems(created.data.items), behavior: 'initial' },
  ];
  let scheduled: EndOfSubscription | null = null;
  let terminal: EndOfSubscription | null = null;
  let expired = false;
  const flushes: { version: number; at: number }[] = [];
  const atOf = new Map<number, number>();
  for (const event of stream) {
    atOf.set(event.version, event.at);
    switch (event.type) {
      case 'items_changed':
        configs.push({
          version: event.version,
          at: event.at,
          time: Math.max(event.data.proration_date, start),
          items: normalizeItems(event.data.items),
          behavior: event.data.proration_behavior,
        });
        if (event.data.proration_behavior === 'always_invoice') flushes.push({ version: event.version, at: event.at });
        break;
      case 'cancel_scheduled':
        scheduled = { time: event.data.cancel_at, version: event.version, at: event.at, prorate: false };
        break;
      case 'cancel_unscheduled':
        scheduled = null;
        break;
      case 'canceled':
        terminal ??= { time: event.data.effective_at, version: event.version, at: event.at, prorate: event.data.prorate };
        if (event.data.invoice_now) flushes.push({ version: event.version, at: event.at });
        break;
      case 'status_changed':
        if (event.data.status === 'incomplete_expired') expired = true;
        if (event.data.status === 'canceled') terminal ??= { time: event.at, version: event.version, at: event.at, prorate: false };
        break;
      default:
        break;
    }
  }
  let end = terminal ?? scheduled;
  if (terminal && scheduled && scheduled.time < terminal.time) end = scheduled;

  // items(t) = the items of the highest version among the events effective at or before t: a
  // later decision overrides earlier ones from its effective time on, backdated or not.
  const sorted = [...configs].sort((a, b) => a.time - b.time || a.version - b.version);
  const points: ConfigPoint[] = [];
  for (const config of sorted) {
    const current = points[points.length - 1];
    if (current && config.version < current.version) continue;
    if (current && current.time === config.time) points[points.length - 1] = config;
    else points.push(config);
  }
  return {
    subscriptionId: created.data.subscription_id,
    start,
    paidStart: paidStart(state),
    anchor: state.billing_cycle_anchor,
    interval,
    count: interval_count,
    points,
    end,
    expired,
    flushes,
    lastVersion: stream.length,
    atOf,
  };
}

function configAt(tl: Timeline, t: number): ConfigPoint {
  let found = tl.points[0];
  for (const point of tl.points) {
    if (point.time <= t) found = point;
    else break;
  }
  return found;
}

/**
 * Which invoice the lines caused by an event land on: its own `now:` invoice when it invoices at
 * once; else the next boundary after the event was recorded (never an invoice already made),
 * unless a later event invoiced pending prorations at once before that boundary.
 */
function landing(tl: Timeline, version: number, at: number): string {
  if (tl.flushes.some((flush) => flush.version === version)) return nowKey(at);
  const boundary = nextBoundary(tl.anchor, tl.interval, tl.count, at);
  const flush = tl.flushes.find((f) => f.version > version && f.at < boundary);
  return flush ? nowKey(flush.at) : boundaryKey(boundary);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function day(t: number): string {
  const d = new Date(t * 1000);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function amountFor(item: StreamItem, used: number, periodLength: number): number {
  return prorateBig(BigInt(item.price.unit_amount) * BigInt(item.quantity), used, periodLength);
}

/** Every line owed by the stream whose period starts at or before `horizon`, by id. */
function desired(tl: Timeline, horizon: number): Map<string, GeneratedLine> {
  const out = new Map<string, GeneratedLine>();
  if (tl.expired) return out;
  const endTime = tl.end?.time ?? Number.POSITIVE_INFINITY;
  if (endTime <= tl.paidStart) return out;
  const push = (line: Omit<GeneratedLine, 'id'>): void => {
    const id = lineId(tl.subscriptionId, line.period, line.kind, line.stream_version);
    out.set(id, { id, ...line });
  };
  const lines = (
    items: StreamItem[],
    from: number,
    periodEnd: number,
    periodLength: number,
    sign: 1 | -1,
    kind: string,
    version: number,
    key: string,
    describe: (item: StreamItem) => string,
  ): void => {
    for (const item of items) {
      const amount = sign * amountFor(item, periodEnd - from, periodLength);
      push({
        invoice_key: key,
        type: kind === RECURRING_KIND ? 'subscription' : 'proration',
        kind: `${kind}${item.price.id}`,
        description: describe(item),
        price: item.price.id,
        quantity: item.quantity,
        amount: amount === 0 ? 0 : amount,
        period: { start: from, end: periodEnd },
        stream_version: version,
      });
    }
  };

  for (let n = periodIndex(tl.anchor, tl.interval, tl.count, tl.paidStart); ; n += 1) {
    const gridStart = addInterval(tl.anchor, tl.interval, tl.count, n);
    const periodEnd = addInterval(tl.anchor, tl.interval, tl.count, n + 1);
    const spanStart = Math.max(gridStart, tl.paidStart);
    if (spanStart > horizon || spanStart >= endTime) break;
    const periodLength = periodEnd - gridStart;

    // Billed in advance: the items in effect when the period starts, for all of it (a stub
    // first period is that part of the whole grid period).
    const config = configAt(tl, spanStart);
    const recurringKey = config.at <= spanStart ? boundaryKey(spanStart) : landing(tl, config.version, config.at);
    lines(config.items, spanStart, periodEnd, periodLength, 1, RECURRING_KIND, config.version, recurringKey, (item) =>
      `${item.quantity} × ${item.price.id} (${day(spanStart)} – ${day(periodEnd)})`,
    );

    // Changes inside the period: credit what is billed for the rest of it, charge the new items.
    // `none` changes nothing this period (the new items are billed from the next boundary).
    let billed = config.items;
    for (const point of tl.points) {
      if (point.time <= spanStart || point.time >= Math.min(periodEnd, endTime)) continue;
      if (point.behavior === 'none') continue;
      const key = landing(tl, point.version, point.at);
      lines(billed, point.time, periodEnd, periodLength, -1, 'proration.unused:', point.version, key, (item) =>
        `Unused time on ${item.quantity} × ${item.price.id} after ${day(point.time)}`,
      );
      lines(point.items, point.time, periodEnd, periodLength, 1, 'proration.remaining:', point.version, key, (item) =>
        `Remaining time on ${item.quantity} × ${item.price.id} after ${day(point.time)}`,
      );
      billed = point.items;
    }

    if (tl.end && endTime < periodEnd) {
      if (tl.end.prorate) {
        const end = tl.end;
        lines(billed, endTime, periodEnd, periodLength, -1, 'cancel.unused:', end.version, landing(tl, end.version, end.at), (item) =>
          `Unused time on ${item.quantity} × ${item.price.id} after ${day(endTime)}`,
        );
      }
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reconciliation with what is already invoiced.

interface Plan {
  emitted: GeneratedLine[];
  pending: GeneratedLine[];
  timeline: Timeline;
  invoiced: InvoicedLine[];
}

function plan(
  stream: readonly SubscriptionEvent[],
  upTo: number,
  alreadyInvoiced: readonly InvoicedLine[],
  options: GenerateOptions,
): Plan {
  assertWellFormedStream(stream);
  if (!Number.isSafeInteger(upTo)) throw new RangeError(`upTo must be integer seconds, got ${upTo}`);
  const tl = timeline(stream);
  const invoiced = dedupe(alreadyInvoiced);
  const voided = dedupe(options.voided ?? []);
  if (tl.expired) return { emitted: [], pending: [], timeline: tl, invoiced };

  const known = new Set<string>([...invoiced, ...voided].map((line) => line.id));
  const horizon = [...invoiced, ...voided].reduce((max, line) => Math.max(max, line.period.start), upTo);
  const owed = desired(tl, horizon);
  const candidates: GeneratedLine[] = [...owed.values()].filter((line) => !known.has(line.id));

  // Corrections: an invoiced line is owed once. Count it with its repairs (-1) and rebills (+1)
  // and bring the count to what the stream owes now (1 if still desired, else 0).
  const corrections = new Map<string, InvoicedLine[]>();
  for (const line of invoiced) {
    const corrected = correctedLineId(line.kind);
    if (corrected !== null) corrections.set(corrected, [...(corrections.get(corrected) ?? []), line]);
  }
  const prefixCache = new Map<number, Set<string>>();
  const owedAtVersion = (version: number): Set<string> => {
    let ids = prefixCache.get(version);
    if (!ids) {
      ids = new Set(desired(timeline(stream.slice(0, version)), horizon).keys());
      prefixCache.set(version, ids);
    }
    return ids;
  };
  for (const line of invoiced) {
    if (correctedLineId(line.kind) !== null) continue;
    const previous = corrections.get(line.id) ?? [];
    const net = 1 + previous.reduce((sum, c) => sum + (c.kind.startsWith(REPAIR_KIND) ? -1 : 1), 0);
    const target = owed.has(line.id) ? 1 : 0;
    if (net === target) continue;
    const repair = target < net;
    // The correction is caused by the first event after the line (and its last correction)
    // from which the stream owes it as it does now: the same stream gives the same id, whenever
    // the generator happens to run.
    const from = Math.max(line.stream_version, ...previous.map((c) => c.stream_version)) + 1;
    let cause = tl.lastVersion;
    for (let v = from; v <= tl.lastVersion; v += 1) {
      if (owedAtVersion(v).has(line.id) === (target === 1)) {
        cause = v;
        break;
      }
    }
    const kind = `${repair ? REPAIR_KIND : REBILL_KIND}${line.id}`;
    const id = lineId(tl.subscriptionId, line.period, kind, cause);
    if (known.has(id)) continue;
    const amount = repair ? -line.amount : line.amount;
    candidates.push({
      id,
      invoice_key: landing(tl, cause, tl.atOf.get(cause) ?? upTo),
      type: 'proration',
      kind,
      description: `${repair ? 'Correction' : 'Billed again'}: ${line.description}`,
      price: line.price,
      quantity: line.quantity,
      amount: amount === 0 ? 0 : amount,
      period: { ...line.period },
      stream_version: cause,
    });
  }

  // Lines never land on an invoice that already exists or on one dated before the latest
  // existing one (it may be finalized: corrections go on a later invoice). With monotonic clock
  // times this never happens; when it does, they go on the next boundary's invoice.
  const existingKeys = new Set([...invoiced, ...voided].map((line) => line.invoice_key));
  const latest = [...existingKeys].reduce((max, key) => Math.max(max, invoiceKeyTime(key)), Number.NEGATIVE_INFINITY);
  const relanded = candidates.map((line) =>
    existingKeys.has(line.invoice_key) || invoiceKeyTime(line.invoice_key) < latest
      ? { ...line, invoice_key: boundaryKey(nextBoundary(tl.anchor, tl.interval, tl.count, latest)) }
      : line,
  );
  const sorted = relanded.sort(lineOrder);
  return {
    emitted: sorted.filter((line) => invoiceKeyTime(line.invoice_key) <= upTo),
    pending: sorted.filter((line) => invoiceKeyTime(line.invoice_key) > upTo),
    timeline: tl,
    invoiced,
  };
}

function dedupe(lines: readonly InvoicedLine[]): InvoicedLine[] {
  const seen = new Map<string, InvoicedLine>();
  for (const line of lines) if (!seen.has(line.id)) seen.set(line.id, line);
  return [...seen.values()];
}

const TYPE_ORDER: Record<InvoiceLineType, number> = { subscription: 0, proration: 1 };
const KIND_ORDER = [RECURRING_KIND, 'proration.unused:', 'proration.remaining:', 'cancel.unused:', REPAIR_KIND, REBILL_KIND];

function kindRank(kind: string): number {
  const rank = KIND_ORDER.findIndex((prefix) => kind.startsWith(prefix));
  return rank === -1 ? KIND_ORDER.length : rank;
}

function lineOrder(a: GeneratedLine, b: GeneratedLine): number {
  return (
    invoiceKeyTime(a.invoice_key) - invoiceKeyTime(b.invoice_key) ||
    compare(a.invoice_key, b.invoice_key) ||
    TYPE_ORDER[a.type] - TYPE_ORDER[b.type] ||
    a.period.start - b.period.start ||
    a.stream_version - b.stream_version ||
    kindRank(a.kind) - kindRank(b.kind) ||
    compare(a.kind, b.kind) ||
    compare(a.id, b.id)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function group(tl: Timeline, lines: readonly GeneratedLine[]): GeneratedInvoice[] {
  const invoices: GeneratedInvoice[] = [];
  for (const line of lines) {
    let invoice = invoices.find((candidate) => candidate.invoice_key === line.invoice_key);
    if (!invoice) {
      const t = invoiceKeyTime(line.invoice_key);
      const end = line.invoice_key.startsWith('b:') ? nextBoundary(tl.anchor, tl.interval, tl.count, t) : t;
      invoice = { invoice_key: line.invoice_key, period_start: t, period_end: end, lines: [] };
      invoices.push(invoice);
    }
    invoice.lines.push(line);
  }
  return invoices;
}

/**
 * Every line owed by the stream up to `upTo` (lines whose invoice is due at or before it), minus
 * what is already invoiced: only the difference, including correction lines. Running it again
 * with its own output added to alreadyInvoiced returns no lines.
 */
export function generateInvoiceLines(
  stream: readonly SubscriptionEvent[],
  upTo: number,
  alreadyInvoiced: readonly InvoicedLine[],
  options: GenerateOptions = {},
): GenerationResult {
  const { emitted, timeline: tl, invoiced } = plan(stream, upTo, alreadyInvoiced, options);
  const violations = [
    ...checkInvoiceInvariants([...invoiced, ...emitted], []),
    ...checkInvoiceInvariants(invoiced, options.invoiceTotals ?? []).filter((v) => v.kind === 'total_mismatch'),
  ];
  return { lines: emitted, invoices: group(tl, emitted), violations: dedupeViolations(violations) };
}

function dedupeViolations(violations: InvariantViolation[]): InvariantViolation[] {
  const seen = new Set<string>();
  return violations.filter((v) => {
    const key = JSON.stringify(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The next clock time after `after` at which the generator has something to invoice (the next
 * period's start while the subscription runs, or pending prorations and corrections — also after
 * a cancel), or null when nothing more will ever be billed. What `subscription.renew` is
 * scheduled at.
 */
export function nextInvoiceAt(
  stream: readonly SubscriptionEvent[],
  after: number,
  alreadyInvoiced: readonly InvoicedLine[] = [],
  options: GenerateOptions = {},
): number | null {
  const { pending, timeline: tl } = plan(stream, after, alreadyInvoiced, options);
  const times = pending.map((line) => invoiceKeyTime(line.invoice_key));
  if (!tl.expired) {
    const endTime = tl.end?.time ?? Number.POSITIVE_INFINITY;
    const next = after < tl.paidStart ? tl.paidStart : nextBoundary(tl.anchor, tl.interval, tl.count, after);
    if (next < endTime) times.push(next);
  }
  return times.length === 0 ? null : times.reduce((min, t) => Math.min(min, t));
}

/**
 * The upcoming invoice (GET /v1/invoices/upcoming): the next invoice after `now` as it would be
 * generated, pending prorations included; null when none will come. For a proposed change, pass
 * withProposedChange(stream, …): the same change recorded with the same proration_date produces
 * exactly these lines (same ids).
 */
export function previewUpcomingInvoice(
  stream: readonly SubscriptionEvent[],
  now: number,
  alreadyInvoiced: readonly InvoicedLine[] = [],
  options: GenerateOptions = {},
): GeneratedInvoice | null {
  const at = nextInvoiceAt(stream, now, alreadyInvoiced, options);
  if (at === null) return null;
  const result = generateInvoiceLines(stream, at, alreadyInvoiced, options);
  return result.invoices.find((invoice) => invoiceKeyTime(invoice.invoice_key) === at) ?? null;
}

/** The stream with a proposed items change appended, as the service would record it at `at`. */
export function withProposedChange(
  stream: readonly SubscriptionEvent[],
  change: { at: number; items: StreamItem[]; proration_behavior: ProrationBehavior; proration_date: number },
): SubscriptionEvent[] {
  return [
    ...stream,
    {
      type: 'items_changed',
      version: stream.length + 1,
      at: change.at,
      data: { items: change.items, proration_behavior: change.proration_behavior, proration_date: change.proration_date },
    },
  ];
}
