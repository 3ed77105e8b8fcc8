import { randomBytes, randomUUID } from 'node:crypto';
import { Producer } from 'kafkajs';
import { TOPICS, createEvent, validateEvent } from '@payflow/contracts';
import { TestClock } from '@payflow/platform/clock';
import { createKafka } from '@payflow/platform/messaging';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import { TestClockAdvance } from '../src/test-clocks/test-clock-advance';
import { Json, TestClocksFixture, newMerchant } from './test-clocks-fixture';

const iso = (value: Date | string) => new Date(value).toISOString();
const plusMonths = (date: string, n: number) => {
  const d = new Date(date);
  d.setUTCMonth(d.getUTCMonth() + n);
  return d.toISOString();
};

/**
 * The test clock saga against real subscriptions, invoices and the payments consumer: intents is
 * played by publishing `payment_intent.captured` for every invoice whose payment billing requested
 * (the full path through intents, the orchestrator and the simulator is the lead's end-to-end).
 */
describe('billing: test clocks drive subscriptions and invoices', () => {
  const fx = new TestClocksFixture();
  const wall = new TestClock(new Date());
  let producer: Producer;
  /** (invoice, attempt) pairs already answered, so each request is answered once. */
  const answered = new Set<string>();
  /** `customer@period_start` of invoices the payer leaves unanswered until the test says so. */
  const unanswered = new Set<string>();
  let payer: NodeJS.Timeout | null = null;
  let paying: Promise<void> | null = null;

  beforeAll(async () => {
    await fx.start({ clock: wall });
    producer = createKafka('billing-clock-e2e', kafkaBrokers()).producer();
    await producer.connect();
    payer = setInterval(() => {
      paying ??= payRequested().finally(() => (paying = null));
    }, 50);
  });
  afterAll(async () => {
    if (payer) clearInterval(payer);
    await paying;
    await producer?.disconnect();
    await fx.stop();
  });

  /** Plays intents: answers every requested payment with a capture of the amount due. */
  async function payRequested(): Promise<void> {
    const { rows } = await fx.db.query(
      `SELECT id, merchant_id, customer_id, period_start, amount_due, currency, attempt_count
         FROM invoices WHERE payment_pending`,
    );
    for (const invoice of rows) {
      const key = `${invoice.id}#${invoice.attempt_count}`;
      if (answered.has(key) || unanswered.has(`${invoice.customer_id}@${iso(invoice.period_start)}`))
        continue;
      answered.add(key);
      await publishCaptured(invoice);
    }
  }

  async function publishCaptured(invoice: Json): Promise<void> {
    const intentId = `pi_${randomBytes(12).toString('hex')}`;
    const now = wall.now().toISOString();
    const amount = Number(invoice.amount_due);
    const event = createEvent({
      type: 'payment_intent.captured',
      source: 'intents',
      aggregate_type: 'payment_intent',
      aggregate_id: intentId,
      aggregate_version: 4,
      merchant_id: invoice.merchant_id,
      correlation_id: `corr_${invoice.id}`,
      causation_id: randomUUID(),
      data: {
        intent: {
          id: intentId,
          object: 'payment_intent',
          merchant_id: invoice.merchant_id,
          amount,
          currency: String(invoice.currency).trim(),
          status: 'captured',
          capture_method: 'automatic',
          amount_capturable: 0,
          amount_received: amount,
          amount_refunded: 0,
          payment_method: 'pm_card_visa',
          provider: 'stripe',
          last_error: null,
          description: null,
          metadata: {},
          invoice: invoice.id,
          created: now,
          updated: now,
        },
        provider: 'stripe',
        amount_captured: amount,
        fee_bps: 290,
        fee_fixed: 30,
      },
    });
    expect(validateEvent(event)).toMatchObject({ ok: true });
    await producer.send({
      topic: wireTopic(TOPICS.intents),
      messages: [
        {
          key: intentId,
          value: JSON.stringify(event),
          headers: { 'event-id': event.id, 'event-type': event.type },
        },
      ],
    });
  }

  async function post(merchant: string, path: string, body: unknown): Promise<Json> {
    const answer = await fx.call('POST', path, { merchant, body });
    if (answer.status >= 300)
      throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** A monthly price, a customer on `clockId` with a card, and its subscription. */
  async function subscribe(merchant: string, clockId: string | null, unitAmount = 2_000): Promise<Json> {
    const price = await post(merchant, '/prices', {
      currency: 'usd',
      unit_amount: unitAmount,
      recurring: { interval: 'month', interval_count: 1 },
    });
    const customer = await post(merchant, '/customers', {
      email: 'rehearsal@example.com',
      payment_method: 'pm_card_visa',
      ...(clockId ? { test_clock: clockId } : {}),
    });
    const subscription = await post(merchant, '/subscriptions', {
      customer: customer.id,
      items: [{ price: price.id }],
    });
    return { price, customer, subscription };
  }

  const invoicesOf = async (merchant: string, customerId: string): Promise<Json[]> => {
    const answer = await fx.call('GET', `/invoices?customer=${customerId}&limit=100`, { merchant });
    expect(answer.status).toBe(200);
    return [...answer.body.data].sort((a: Json, b: Json) => a.period_start.localeCompare(b.period_start));
  };
  const clockOf = async (merchant: string, id: string) =>
    (await fx.call('GET', `/test_clocks/${id}`, { merchant })).body;
  const waitReady = (merchant: string, id: string) =>
    waitFor(async () => (await clockOf(merchant, id)).status === 'ready', {
      what: `${id} ready`,
      timeoutMs: 110_000,
      intervalMs: 100,
    });

  it('advanced 14 months and a day, a customer has 15 invoices in order, each paid; a second clock and the wall clock untouched', async () => {
    const merchant = newMerchant();
    const start = '2026-01-15T00:00:00.000Z';
    const clock = await fx.createClock(merchant, start);
    const other = await fx.createClock(merchant, start);
    const { customer, subscription } = await subscribe(merchant, clock.id);
    expect(subscription).toMatchObject({ status: 'incomplete', current_period_start: start });
    const bystander = await subscribe(merchant, other.id);
    const onWall = await subscribe(merchant, null);
    // the first invoices are answered while the clocks stand still
    await waitFor(async () => (await invoicesOf(merchant, customer.id))[0]?.status === 'paid', {
      what: 'first paid',
    });
    await waitFor(async () => (await invoicesOf(merchant, bystander.customer.id))[0]?.status === 'paid', {
      what: 'bystander paid',
    });

    const target = '2027-03-16T00:00:00.000Z';
    const advanced = await fx.advance(merchant, clock.id, target);
    expect(advanced.status).toBe(200);
    expect(advanced.body.status).toBe('advancing');
    await waitReady(merchant, clock.id);
    expect(await clockOf(merchant, clock.id)).toMatchObject({ status: 'ready', frozen_time: target });

    const invoices = await invoicesOf(merchant, customer.id);
    expect(invoices).toHaveLength(15);
    const periods = invoices.map((invoice) => [invoice.period_start, invoice.period_end]);
    expect(periods).toEqual(
      Array.from({ length: 15 }, (_, k) => [plusMonths(start, k), plusMonths(start, k + 1)]),
    );
    for (const invoice of invoices) {
      expect(invoice).toMatchObject({
        status: 'paid',
        amount_due: 2_000,
        amount_paid: 2_000,
        subscription: subscription.id,
      });
      expect(invoice.lines).toHaveLength(1);
      expect(invoice.created).toBe(invoice.period_start); // the clock's time, not the wall clock's
    }
    // numbered in order from the clock's own TEST- sequence
    const numbers = invoices.map((invoice) => invoice.number);
    expect(numbers.every((n: string) => n.startsWith('TEST-'))).toBe(true);
    expect(numbers.map((n: string) => Number(n.slice(-6)))).toEqual(
      [...numbers.map((n: string) => Number(n.slice(-6)))].sort((a, b) => a - b),
    );
    const finalized = invoices.map((invoice) => invoice.finalized_at);
    expect([...finalized].sort()).toEqual(finalized);

    const sub = (await fx.call('GET', `/subscriptions/${subscription.id}`, { merchant })).body;
    expect(sub).toMatchObject({
      status: 'active',
      current_period_start: plusMonths(start, 14),
      current_period_end: plusMonths(start, 15),
    });

    // one step per instant, in order: every boundary, then the draft's finalization
    const steps = (await fx.advancedEvents(clock.id)).map((e) => e.event.data.frozen_time as string);
    expect([...steps].sort()).toEqual(steps);
    expect(new Set(steps).size).toBe(steps.length);
    for (let k = 1; k <= 14; k++) expect(steps).toContain(plusMonths(start, k));
    expect(steps[steps.length - 1]).toBe(target);

    // the other clock and the wall clock's customer: one invoice each, their times unchanged
    expect(await invoicesOf(merchant, bystander.customer.id)).toHaveLength(1);
    expect(await clockOf(merchant, other.id)).toMatchObject({ status: 'ready', frozen_time: start });
    expect(await invoicesOf(merchant, onWall.customer.id)).toHaveLength(1);
    const { rows } = await fx.db.query(
      `SELECT count(*)::int AS n FROM scheduled_work WHERE done_at IS NOT NULL AND subject_id = ANY($1)`,
      [[bystander.subscription.id, onWall.subscription.id]],
    );
    expect(rows[0].n).toBe(0);
  });

  it('waits at an instant until the payment requested there is answered', async () => {
    const merchant = newMerchant();
    const start = '2026-03-31T00:00:00.000Z';
    const clock = await fx.createClock(merchant, start);
    const { customer } = await subscribe(merchant, clock.id, 999);
    await waitFor(async () => (await invoicesOf(merchant, customer.id))[0]?.status === 'paid', {
      what: 'first paid',
    });

    // the renewal of Apr 30 (the month end clamped) gets no answer until the test gives it
    const hold = `${customer.id}@2026-04-30T00:00:00.000Z`;
    unanswered.add(hold);
    await fx.advance(merchant, clock.id, '2026-06-15T00:00:00Z');
    const renewal = await waitFor(
      async () => {
        const { rows } = await fx.db.query(
          `SELECT id FROM invoices WHERE customer_id = $1 AND period_start = '2026-04-30T00:00:00Z' AND payment_pending`,
          [customer.id],
        );
        return rows[0];
      },
      { what: 'the April renewal requested' },
    );
    const advance = fx.app.get(TestClockAdvance);
    const step = await waitFor(
      async () => {
        const outcome = await advance.step(clock.id);
        return outcome.kind === 'wait' ? outcome : null;
      },
      { what: 'the clock waiting' },
    );
    expect(step).toEqual({ kind: 'wait', reasons: [`payment_pending:${renewal.id}`] });
    // held at the finalization instant (the boundary + BILLING_DRAFT_WINDOW), nothing after it billed
    expect(await clockOf(merchant, clock.id)).toMatchObject({
      status: 'advancing',
      frozen_time: '2026-04-30T01:00:00.000Z',
    });
    expect(await invoicesOf(merchant, customer.id)).toHaveLength(2);

    unanswered.delete(hold);
    await waitReady(merchant, clock.id);
    const invoices = await invoicesOf(merchant, customer.id);
    expect(invoices.map((i) => [i.period_start, i.status])).toEqual([
      ['2026-03-31T00:00:00.000Z', 'paid'],
      ['2026-04-30T00:00:00.000Z', 'paid'],
      ['2026-05-31T00:00:00.000Z', 'paid'],
    ]);
  });

  it("DELETE cancels the clock customers' subscriptions at the clock time and keeps their invoices", async () => {
    const merchant = newMerchant();
    const clock = await fx.createClock(merchant, '2026-05-01T00:00:00Z');
    const first = await subscribe(merchant, clock.id);
    const second = await subscribe(merchant, clock.id, 500);
    await waitFor(async () => (await invoicesOf(merchant, first.customer.id))[0]?.status === 'paid', {
      what: 'paid',
    });
    await fx.advance(merchant, clock.id, '2026-06-10T00:00:00Z');
    await waitReady(merchant, clock.id);
    const before = [
      ...(await invoicesOf(merchant, first.customer.id)),
      ...(await invoicesOf(merchant, second.customer.id)),
    ];
    expect(before.length).toBeGreaterThanOrEqual(4);

    const deleted = await fx.call('DELETE', `/test_clocks/${clock.id}`, { merchant });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ id: clock.id, object: 'test_clock', deleted: true });

    for (const { subscription } of [first, second]) {
      const sub = (await fx.call('GET', `/subscriptions/${subscription.id}`, { merchant })).body;
      expect(sub).toMatchObject({ status: 'canceled', canceled_at: '2026-06-10T00:00:00.000Z' });
      const { rows } = await fx.db.query(
        `SELECT payload FROM outbox WHERE message_key = $1 AND event_type = 'subscription.canceled'`,
        [subscription.id],
      );
      expect(rows).toHaveLength(1);
      expect(validateEvent(rows[0].payload)).toMatchObject({ ok: true });
    }
    const after = [
      ...(await invoicesOf(merchant, first.customer.id)),
      ...(await invoicesOf(merchant, second.customer.id)),
    ];
    expect(after.map((i) => [i.id, i.status, i.total])).toEqual(before.map((i) => [i.id, i.status, i.total]));
    expect((await fx.call('GET', `/test_clocks/${clock.id}`, { merchant })).status).toBe(404);
    // a second delete: 404, nothing canceled twice
    expect((await fx.call('DELETE', `/test_clocks/${clock.id}`, { merchant })).status).toBe(404);
  });
});
