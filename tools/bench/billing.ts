/**
 * bench:billing — issue 11: invoicing many subscriptions due at the same instant. Starts the billing
 * service alone on the benchmark's database and topics. Set-up (not measured): per merchant a test
 * clock, mixed monthly prices (USD, EUR, JPY; one to two items, quantities 1–5), customers with a
 * card on that clock and one subscription each, created through billing's internal API with bounded
 * concurrency; their first invoices are paid; the clocks are advanced to mid-period, where a share
 * of the subscriptions change quantity with `create_prorations` (proration lines on the renewal).
 * Measured: every clock is advanced at once to the renewal boundary plus the draft window, so every
 * subscription renews at the same instant and its draft is finalized an hour later (clock time).
 *
 * The bench plays intents: it consumes billing's topic and answers each `invoice.payment_requested`
 * with `payment_intent.captured` on the intents topic (a share of the renewals with
 * `payment_intent.authorization_failed`), as intents would after the orchestrator and the PSP; the
 * clocks' saga waits for those answers before it finishes. Starting intents, the orchestrator and
 * the simulator would measure them, not billing (bench:payments does).
 *
 * The value: renewal invoices per second, from the first advance call until the bench has received
 * `invoice.payment_requested` for every one of them. Latency: from the first advance call to the
 * bench's consumer receiving each `invoice.finalized` (so it includes the outbox relay and Kafka).
 * Then every invoice is checked: one renewal invoice per subscription, paid (or open after a
 * declined payment), totals equal to the sum of its lines, the expected amounts (recurring and
 * prorated, recomputed here), proration lines exactly on the changed subscriptions, numbers gapless
 * per merchant in its TEST sequence, one `invoice.finalized` each.
 *
 * Options (or BENCH_BILLING_<NAME> variables): --subscriptions (10000), --merchants (5),
 * --concurrency (set-up requests in flight, 16). Iterate with a small --subscriptions.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { Consumer, EachBatchPayload, Producer } from 'kafkajs';
import { Pool } from 'pg';
import { TOPICS, createEvent, validateEvent } from '@payflow/contracts';
import { createKafka } from '@payflow/platform/messaging';
import { startPlatform } from '../dev/platform';
import { percentile, progress, round } from './stats';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const { values: options } = parseArgs({
  options: {
    subscriptions: { type: 'string' },
    merchants: { type: 'string' },
    concurrency: { type: 'string' },
  },
});
const option = (name: keyof typeof options, fallback: number): number => {
  const raw = options[name] ?? process.env[`BENCH_BILLING_${name.toUpperCase()}`];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, got ${raw}`);
  return value;
};
const SUBSCRIPTIONS = option('subscriptions', 10_000);
const MERCHANTS = Math.min(option('merchants', 5), SUBSCRIPTIONS);
const CONCURRENCY = option('concurrency', 16);
/** Every PRORATION_EVERY-th subscription changes quantity mid-period (20 %). */
const PRORATION_EVERY = 5;
/** Every DECLINE_EVERY-th subscription (offset 3) has its renewal payment declined (5 %). */
const DECLINE_EVERY = 20;
const TARGET_RATE = 500;

const DAY = 86_400;
/** The clocks start on 15 Jan 2026; periods are [15th, 15th of the next month). */
const T0 = Date.UTC(2026, 0, 15) / 1000;
const MID = T0 + 15 * DAY;
const T1 = Date.UTC(2026, 1, 15) / 1000;
const DRAFT_WINDOW_S = 3_600;
const TARGET = T1 + DRAFT_WINDOW_S;
const RENEWAL_KEY = `b:${T1}`;

const run = randomBytes(3).toString('hex');

interface PriceSpec {
  currency: string;
  unit_amount: number;
}
/** The prices of every merchant (monthly, so every subscription renews at the same instant). */
const PRICES: PriceSpec[] = [
  { currency: 'usd', unit_amount: 999 },
  { currency: 'usd', unit_amount: 2_500 },
  { currency: 'usd', unit_amount: 4_900 },
  { currency: 'eur', unit_amount: 1_900 },
  { currency: 'eur', unit_amount: 700 },
  { currency: 'jpy', unit_amount: 1_200 },
];
/** Plans as [price index, quantity][]: one currency each, one or two items. */
const PLANS: [number, number][][] = [
  [[0, 1]],
  [[1, 3]],
  [
    [0, 2],
    [2, 1],
  ],
  [[3, 1]],
  [
    [4, 5],
    [3, 1],
  ],
  [[5, 2]],
];

interface Sub {
  n: number;
  merchant: number;
  id: string;
  customer: string;
  /** Items after any change: [price id, unit amount, quantity]. */
  items: { price: string; unit: number; quantity: number }[];
  prorated: boolean;
  declined: boolean;
  /** The proration lines' expected sum (0 without a change). */
  prorationNet: number;
}

/** Half-up a·u/p in integers, as DESIGN.md asks of proration (an independent recomputation). */
function prorate(amount: number, used: number, period: number): number {
  const a = BigInt(amount);
  return Number((2n * a * BigInt(used) + BigInt(period)) / (2n * BigInt(period)));
}

class Billing {
  constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  async call(method: string, merchant: string, path: string, body?: unknown): Promise<Json> {
    for (let tries = 1; ; tries++) {
      const response = await fetch(`${this.url}/internal/v1${path}`, {
        method,
        headers: {
          'content-type': 'application/json',
          'x-internal-token': this.token,
          'x-merchant-id': merchant,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const answer = (await response.json()) as Json;
      if (response.status < 300) return answer;
      // 409: a concurrent change of the same object (the set-up never makes one, but be patient).
      if (response.status === 409 && tries < 5) continue;
      throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    }
  }
}

/** Runs `task` for 0..count-1 with at most `concurrency` in flight, reporting progress. */
async function pooled(
  what: string,
  count: number,
  concurrency: number,
  task: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) {
        await task(next++);
        if (++done % 1_000 === 0) progress(`  ${what}: ${done}/${count}`);
      }
    }),
  );
  progress(`${what}: ${count} in ${round((performance.now() - started) / 1000, 1)} s`);
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Plays intents for billing: answers every payment request once (per invoice and attempt), in one
 * producer call per consumed batch, and notes when each invoice event reached the bench.
 */
class Payer {
  readonly finalizedAt = new Map<string, number>();
  readonly finalizedCount = new Map<string, number>();
  readonly requestedAt = new Map<string, number>();
  private readonly answered = new Set<string>();
  private consumer!: Consumer;
  private producer!: Producer;
  /** Subscriptions whose renewal payment is declined. */
  declined = new Set<string>();

  constructor(private readonly prefix: string) {}

  async start(): Promise<void> {
    const kafka = createKafka(`bench-billing-${run}`, process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
    this.consumer = kafka.consumer({ groupId: `${this.prefix}bench-billing-${run}`, maxWaitTimeInMs: 50 });
    await this.consumer.connect();
    await this.consumer.subscribe({ topic: `${this.prefix}${TOPICS.billing}`, fromBeginning: true });
    await this.consumer.run({
      partitionsConsumedConcurrently: 6,
      eachBatch: (payload) => this.batch(payload),
    });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
  }

  private async batch({ batch, resolveOffset, heartbeat }: EachBatchPayload): Promise<void> {
    const now = performance.now();
    const answers: { key: string; value: string; headers: Record<string, string> }[] = [];
    for (const message of batch.messages) {
      const event = JSON.parse(message.value!.toString()) as Json;
      const invoice = event.data?.invoice;
      if (event.type === 'invoice.finalized') {
        if (!this.finalizedAt.has(invoice.id)) this.finalizedAt.set(invoice.id, now);
        this.finalizedCount.set(invoice.id, (this.finalizedCount.get(invoice.id) ?? 0) + 1);
      } else if (event.type === 'invoice.payment_requested') {
        const key = `${invoice.id}#${event.data.attempt}`;
        if (!this.requestedAt.has(invoice.id)) this.requestedAt.set(invoice.id, now);
        if (!this.answered.has(key)) {
          this.answered.add(key);
          const renewal = Date.parse(invoice.period_start) === T1 * 1000;
          answers.push(this.answer(event, renewal && this.declined.has(invoice.subscription)));
        }
      }
    }
    if (answers.length > 0) {
      await this.producer.send({ topic: `${this.prefix}${TOPICS.intents}`, messages: answers });
    }
    resolveOffset(batch.messages[batch.messages.length - 1].offset);
    await heartbeat();
  }

  /** `payment_intent.captured` (or `.authorization_failed`) for the invoice's attempt, as intents publishes it. */
  private answer(
    request: Json,
    decline: boolean,
  ): { key: string; value: string; headers: Record<string, string> } {
    const invoice = request.data.invoice;
    const intentId = `pi_${randomBytes(12).toString('hex')}`;
    const at = new Date().toISOString();
    const amount = request.data.amount as number;
    const intent = {
      id: intentId,
      object: 'payment_intent' as const,
      merchant_id: request.merchant_id as string,
      amount,
      currency: String(request.data.currency).toUpperCase(),
      status: decline ? ('failed' as const) : ('captured' as const),
      capture_method: 'automatic' as const,
      amount_capturable: 0,
      amount_received: decline ? 0 : amount,
      amount_refunded: 0,
      payment_method: request.data.payment_method as string,
      provider: 'stripe' as const,
      last_error: null,
      description: null,
      metadata: {},
      invoice: invoice.id as string,
      created: at,
      updated: at,
    };
    const common = {
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: intentId,
      merchant_id: request.merchant_id as string,
      correlation_id: request.correlation_id ?? null,
      causation_id: request.id as string,
    };
    const event = decline
      ? createEvent({
          ...common,
          type: 'payment_intent.authorization_failed',
          aggregate_version: 2,
          data: {
            intent,
            provider: 'stripe',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            message: 'Your card has insufficient funds.',
            network: 'visa',
          },
        })
      : createEvent({
          ...common,
          type: 'payment_intent.captured',
          aggregate_version: 3,
          data: { intent, provider: 'stripe', amount_captured: amount, fee_bps: 290, fee_fixed: 30 },
        });
    const valid = validateEvent(event);
    if (!valid.ok) throw new Error(`the bench built an invalid ${event.type}: ${JSON.stringify(valid)}`);
    return {
      key: intentId,
      value: JSON.stringify(event),
      headers: { 'event-id': event.id, 'event-type': event.type },
    };
  }
}

async function main(): Promise<void> {
  const prefix = process.env['KAFKA_TOPIC_PREFIX'] ?? '';
  const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 2 });
  progress(`starting the billing service (${SUBSCRIPTIONS} subscriptions, ${MERCHANTS} merchants)`);
  // Billing alone: the renewals it declines are nobody's to dun, so its clocks must not wait for
  // dunning's decisions (BILLING_DUNNING_GATE, docs/billing.md).
  const platform = await startPlatform(
    { LOG_LEVEL: 'warn', BILLING_DRAFT_WINDOW: `${DRAFT_WINDOW_S}s`, BILLING_DUNNING_GATE: 'false' },
    ['billing'],
  );
  const billing = new Billing(platform.urls['billing'], platform.env['INTERNAL_API_TOKEN']);
  const payer = new Payer(prefix);
  try {
    await payer.start();

    // ── Set-up (not measured) ───────────────────────────────────────────────────────────────────
    const merchants = Array.from({ length: MERCHANTS }, (_, m) => `mer_bench${run}m${m}`);
    const clocks: string[] = [];
    const prices: { id: string; unit: number }[][] = [];
    for (const merchant of merchants) {
      clocks.push(
        (await billing.call('POST', merchant, '/test_clocks', { frozen_time: T0, name: 'bench' })).id,
      );
      const list: { id: string; unit: number }[] = [];
      for (const spec of PRICES) {
        const price = await billing.call('POST', merchant, '/prices', {
          ...spec,
          recurring: { interval: 'month', interval_count: 1 },
        });
        list.push({ id: price.id, unit: spec.unit_amount });
      }
      prices.push(list);
    }
    const subs: Sub[] = [];
    await pooled('customers and subscriptions', SUBSCRIPTIONS, CONCURRENCY, async (n) => {
      const m = n % MERCHANTS;
      const plan = PLANS[Math.floor(n / MERCHANTS) % PLANS.length];
      const customer = await billing.call('POST', merchants[m], '/customers', {
        email: `c${n}@bench.example`,
        payment_method: 'pm_card_visa',
        test_clock: clocks[m],
      });
      const items = plan.map(([p, quantity]) => ({
        price: prices[m][p].id,
        unit: prices[m][p].unit,
        quantity,
      }));
      const subscription = await billing.call('POST', merchants[m], '/subscriptions', {
        customer: customer.id,
        items: items.map(({ price, quantity }) => ({ price, quantity })),
      });
      subs[n] = {
        n,
        merchant: m,
        id: subscription.id,
        customer: customer.id,
        items,
        prorated: n % PRORATION_EVERY === 0,
        declined: n % DECLINE_EVERY === 3,
        prorationNet: 0,
      };
    });
    for (const sub of subs) if (sub.declined) payer.declined.add(sub.id);

    const count = async (sql: string, params: unknown[]): Promise<number> =>
      Number((await admin.query(sql, params)).rows[0].n);
    progress('waiting for the first invoices to be paid');
    await waitUntil(
      'the first invoices paid',
      async () =>
        (await count(
          `SELECT count(*) AS n FROM billing.subscriptions WHERE test_clock_id = ANY($1) AND status = 'active'`,
          [clocks],
        )) === SUBSCRIPTIONS,
      600_000,
    );

    const advanceAll = async (to: number) => {
      await Promise.all(
        clocks.map((clock, m) =>
          billing.call('POST', merchants[m], `/test_clocks/${clock}/advance`, { frozen_time: to }),
        ),
      );
    };
    const clocksReady = async () =>
      (await count(`SELECT count(*) AS n FROM billing.test_clocks WHERE id = ANY($1) AND status = 'ready'`, [
        clocks,
      ])) === clocks.length;
    const setUpAdvance = performance.now();
    await advanceAll(MID);
    await waitUntil('the clocks at mid-period', clocksReady, 600_000);
    progress(`clocks advanced to mid-period in ${round((performance.now() - setUpAdvance) / 1000, 1)} s`);

    const prorated = subs.filter((sub) => sub.prorated);
    await pooled(
      'mid-period quantity changes (create_prorations)',
      prorated.length,
      CONCURRENCY,
      async (i) => {
        const sub = prorated[i];
        const before = sub.items.map((item) => ({ ...item }));
        sub.items[0].quantity += 1;
        await billing.call('POST', merchants[sub.merchant], `/subscriptions/${sub.id}`, {
          items: sub.items.map(({ price, quantity }) => ({ price, quantity })),
          proration_behavior: 'create_prorations',
        });
        const used = T1 - MID;
        const period = T1 - T0;
        sub.prorationNet =
          sub.items.reduce((sum, item) => sum + prorate(item.unit * item.quantity, used, period), 0) -
          before.reduce((sum, item) => sum + prorate(item.unit * item.quantity, used, period), 0);
      },
    );

    // ── Measured: every clock to the renewal plus the draft window ──────────────────────────────
    const expected = new Set(subs.map((sub) => sub.id));
    const renewalOf = new Map<string, string>(); // invoice id → subscription id, from the events
    progress(
      `advancing ${clocks.length} clocks to ${new Date(TARGET * 1000).toISOString()} (renewal of ${SUBSCRIPTIONS})`,
    );
    const started = performance.now();
    const startedWall = Date.now();
    await advanceAll(TARGET);
    const renewalIds = async () => {
      const { rows } = await admin.query(
        `SELECT id, subscription_id FROM billing.invoices WHERE test_clock_id = ANY($1) AND invoice_key = $2`,
        [clocks, RENEWAL_KEY],
      );
      for (const row of rows) renewalOf.set(row.id, row.subscription_id);
    };
    let requested = 0;
    let lastReport = performance.now();
    for (;;) {
      // The renewal invoices are known once billed; count those whose payment request has arrived.
      if (renewalOf.size < SUBSCRIPTIONS) await renewalIds();
      requested = [...renewalOf.keys()].filter((id) => payer.requestedAt.has(id)).length;
      if (requested === SUBSCRIPTIONS) break;
      if (performance.now() - lastReport > 2_000) {
        const finalized = [...renewalOf.keys()].filter((id) => payer.finalizedAt.has(id)).length;
        progress(
          `  ${round((performance.now() - started) / 1000, 1)} s: billed ${renewalOf.size}, finalized ${finalized}, payment requested ${requested} of ${SUBSCRIPTIONS}`,
        );
        lastReport = performance.now();
      }
      if (performance.now() - started > 1_800_000)
        throw new Error('the renewals did not finish within 30 min');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const renewals = [...renewalOf.keys()];
    const ended = Math.max(...renewals.map((id) => payer.requestedAt.get(id)!));
    const seconds = (ended - started) / 1000;
    const rate = SUBSCRIPTIONS / seconds;
    const latencies = renewals.map((id) => payer.finalizedAt.get(id)! - started);
    progress(
      `${SUBSCRIPTIONS} renewal invoices finalized and their payments requested in ${round(seconds, 2)} s: ${round(rate, 0)}/s; advance → invoice.finalized p50 ${round(percentile(latencies, 50), 0)} ms, p99 ${round(percentile(latencies, 99), 0)} ms`,
    );
    await waitUntil('the clocks ready (every payment answered)', clocksReady, 600_000);
    const readySeconds = (performance.now() - started) / 1000;
    progress(`clocks ready (every payment answered) after ${round(readySeconds, 1)} s`);

    // ── Checks ──────────────────────────────────────────────────────────────────────────────────
    const problems: string[] = [];
    const problem = (message: string) => {
      if (problems.length < 20) problems.push(message);
      else if (problems.length === 20) problems.push('…');
    };
    if (
      new Set(renewalOf.values()).size !== SUBSCRIPTIONS ||
      [...renewalOf.values()].some((s) => !expected.has(s))
    )
      problem('not exactly one renewal invoice per subscription');
    const { rows: invoices } = await admin.query(
      `SELECT i.id, i.subscription_id, i.status, i.number, i.subtotal::bigint AS subtotal, i.total::bigint AS total,
              i.starting_balance::bigint AS starting_balance, i.amount_due::bigint AS amount_due,
              i.amount_paid::bigint AS amount_paid, i.attempt_count, i.payment_pending, i.finalized_at,
              COALESCE(SUM(l.amount), 0)::bigint AS lines_sum,
              COALESCE(SUM(l.amount) FILTER (WHERE l.type = 'proration'), 0)::bigint AS proration_sum,
              COUNT(l.id) FILTER (WHERE l.type = 'proration')::int AS prorations,
              COALESCE(SUM(l.amount) FILTER (WHERE l.type = 'subscription'), 0)::bigint AS recurring_sum
         FROM billing.invoices i LEFT JOIN billing.invoice_lines l ON l.invoice_id = i.id
        WHERE i.test_clock_id = ANY($1) AND i.invoice_key = $2
        GROUP BY i.id`,
      [clocks, RENEWAL_KEY],
    );
    const subOf = new Map(subs.map((sub) => [sub.id, sub]));
    for (const row of invoices) {
      const sub = subOf.get(row.subscription_id)!;
      const n = (v: unknown) => Number(v);
      const recurring = sub.items.reduce((sum, item) => sum + item.unit * item.quantity, 0);
      const status = sub.declined ? 'open' : 'paid';
      if (row.status !== status) problem(`${row.id}: ${row.status}, expected ${status}`);
      if (row.payment_pending || n(row.attempt_count) !== 1)
        problem(`${row.id}: attempt ${row.attempt_count}, pending ${row.payment_pending}`);
      if (
        n(row.subtotal) !== n(row.lines_sum) ||
        n(row.total) !== n(row.subtotal) + 0 ||
        n(row.starting_balance) !== 0
      )
        problem(
          `${row.id}: subtotal ${row.subtotal}, total ${row.total}, balance ${row.starting_balance}, lines ${row.lines_sum}`,
        );
      if (n(row.amount_due) !== Math.max(0, n(row.total)))
        problem(`${row.id}: amount_due ${row.amount_due} of total ${row.total}`);
      if (!sub.declined && n(row.amount_paid) !== n(row.amount_due))
        problem(`${row.id}: paid ${row.amount_paid} of ${row.amount_due}`);
      if (n(row.recurring_sum) !== recurring)
        problem(`${row.id}: recurring ${row.recurring_sum}, expected ${recurring}`);
      if (
        sub.prorated
          ? n(row.prorations) < 2 || n(row.proration_sum) !== sub.prorationNet
          : n(row.prorations) !== 0
      )
        problem(
          `${row.id}: ${row.prorations} proration lines summing to ${row.proration_sum}, expected ${sub.prorated ? `≥ 2 summing to ${sub.prorationNet}` : 'none'}`,
        );
      if ((payer.finalizedCount.get(row.id) ?? 0) < 1) problem(`${row.id}: no invoice.finalized received`);
    }
    const { rows: statuses } = await admin.query(
      `SELECT id, status FROM billing.subscriptions WHERE test_clock_id = ANY($1)`,
      [clocks],
    );
    for (const row of statuses) {
      const status = subOf.get(row.id)?.declined ? 'past_due' : 'active';
      if (row.status !== status) problem(`${row.id}: subscription ${row.status}, expected ${status}`);
    }
    // Gapless per merchant: its TEST sequence numbers every finalized invoice of its clock 1..n.
    const { rows: numbered } = await admin.query(
      `SELECT merchant_id, count(*)::int AS invoices, count(DISTINCT number)::int AS numbers,
              count(*) FILTER (WHERE status = 'draft')::int AS drafts,
              array_agg(number ORDER BY number) FILTER (WHERE number IS NOT NULL) AS list
         FROM billing.invoices WHERE test_clock_id = ANY($1) GROUP BY merchant_id`,
      [clocks],
    );
    for (const row of numbered) {
      const list = row.list as string[];
      const series = list.map((number) => Number(/-(\d+)$/.exec(number)?.[1]));
      const gapless =
        series.every((value, i) => value === i + 1) && list.every((number) => number.startsWith('TEST-'));
      if (row.drafts > 0 || row.numbers !== row.invoices || !gapless)
        problem(
          `${row.merchant_id}: ${row.invoices} invoices, ${row.numbers} numbers, ${row.drafts} drafts, gapless ${gapless}`,
        );
    }
    if (invoices.length !== SUBSCRIPTIONS)
      problem(`${invoices.length} renewal invoices, expected ${SUBSCRIPTIONS}`);
    if (problems.length > 0) throw new Error(`checks failed:\n  ${problems.join('\n  ')}`);
    const declined = subs.filter((sub) => sub.declined).length;
    progress(
      `checked: ${SUBSCRIPTIONS} renewal invoices (${prorated.length} with prorations, ${declined} declined and open), totals = lines, amounts as priced, numbers gapless per merchant`,
    );
    if (rate < TARGET_RATE) progress(`below the target of ${TARGET_RATE} invoices/s`);

    process.stdout.write(
      `${JSON.stringify({
        name: 'billing_renewals',
        value: round(rate, 0),
        unit: 'invoices/s',
        target: TARGET_RATE,
        invoices: SUBSCRIPTIONS,
        merchants: MERCHANTS,
        prorated: prorated.length,
        declined,
        seconds: round(seconds, 2),
        p50_finalized_ms: round(percentile(latencies, 50), 0),
        p99_finalized_ms: round(percentile(latencies, 99), 0),
        max_finalized_ms: round(Math.max(...latencies), 0),
        latency_from: 'first advance call to invoice.finalized received from Kafka',
        clocks_ready_s: round(readySeconds, 1),
        started_at: new Date(startedWall).toISOString(),
        checked: true,
      })}\n`,
    );
  } finally {
    await payer.stop().catch(() => undefined);
    await platform.stop();
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:billing failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
