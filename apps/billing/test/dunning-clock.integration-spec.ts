import { DataSource } from 'typeorm';
import type { DunningFinalAction, EventDataOf } from '@payflow/contracts';
import { TestClock } from '@payflow/platform/clock';
import { Tx, inTransaction } from '@payflow/platform/database';
import { waitFor } from '@payflow/platform/testing';
import { dunningGateReleasesTotal } from '../src/collections/collections-metrics';
import { DunningDecisions } from '../src/collections/dunning-decisions';
import { FinalActions } from '../src/collections/final-actions';
import { RetryRequests } from '../src/collections/retry-requests';
import { PaymentAnswers } from '../src/payments/payment-answers.service';
import { StepOutcome, TestClockAdvance } from '../src/test-clocks/test-clock-advance';
import { counterValue, dunningEvent } from './dunning-fixture';
import { intentsEvent, invoiceIntent } from './invoices-fixture';
import { Json, TestClocksFixture, newMerchant } from './test-clocks-fixture';

const DAY = 86_400_000;
const iso = (value: Date | string | number) => new Date(value).toISOString();
const plusDays = (at: string, days: number) => iso(Date.parse(at) + days * DAY);

/** How intents answers an invoice's attempt in these tests. */
type Answer = 'capture' | 'decline';

/**
 * The test clock saga's dunning gate, with the saga's runner stepping real subscriptions on real
 * clocks. Intents is played by answering every requested payment through the payments handlers
 * (capture, or decline as each customer's script says). Dunning is played by the test, calling
 * billing's dunning handlers as the inbox would: step by step in the first test, and in the
 * schedule test by a small stand-in that decides every failure on a retry schedule and, at every
 * `test_clock.advanced`, issues the retries due and syncs the clock.
 */
describe('billing: the test clock waits for dunning', () => {
  const fx = new TestClocksFixture();
  // The wall clock stands still unless a test moves it (TEST_CLOCK_STEP_TIMEOUT_MS is measured on it).
  const wall = new TestClock(new Date());
  const TIMEOUT_MS = 60_000;
  /** Per customer: how intents answers attempt `attempt` of a renewal (first invoices are captured). */
  const scripts = new Map<string, (attempt: number) => Answer>();
  /** (invoice, attempt) already answered. */
  const answered = new Set<string>();
  /** Clocks whose dunning the stand-in plays, with its schedule and final action. */
  const standIns = new Map<string, { days: number[]; finalAction: DunningFinalAction }>();
  const handledFailures = new Set<string>();
  const syncedSteps = new Set<string>();
  const retries: { clock: string; merchant: string; invoice: string; subscription: string; customer: string; attempt: number; due: string; issued: boolean }[] = [];
  let player: NodeJS.Timeout | null = null;
  let playing: Promise<void> | null = null;
  const errors: unknown[] = [];

  beforeAll(async () => {
    await fx.start({ clock: wall, env: { TEST_CLOCK_STEP_TIMEOUT_MS: String(TIMEOUT_MS) } });
    player = setInterval(() => {
      playing ??= play()
        .catch((error: unknown) => {
          errors.push(error);
        })
        .finally(() => (playing = null));
    }, 40);
  });
  afterAll(async () => {
    if (player) clearInterval(player);
    await playing;
    await fx.stop();
  });
  afterEach(() => expect(errors).toEqual([]));

  const tx = <T>(work: (tx: Tx) => Promise<T>) => inTransaction(fx.app.get(DataSource), work);

  async function play(): Promise<void> {
    await answerPayments();
    await playDunning();
  }

  /** Intents: each requested attempt answered once, captured unless the customer's script declines it. */
  async function answerPayments(): Promise<void> {
    const { rows } = await fx.db.query(
      `SELECT id, merchant_id, customer_id, amount_due, attempt_count, billing_reason FROM invoices WHERE payment_pending`,
    );
    for (const invoice of rows) {
      const key = `${invoice.id}#${invoice.attempt_count}`;
      if (answered.has(key)) continue;
      const script = scripts.get(invoice.customer_id);
      if (!script) continue;
      answered.add(key);
      const answer = invoice.billing_reason === 'subscription_create' ? 'capture' : script(invoice.attempt_count);
      const amount = Number(invoice.amount_due);
      const answers = fx.app.get(PaymentAnswers);
      if (answer === 'capture') {
        await tx((t) =>
          answers.captured(
            t,
            intentsEvent('payment_intent.captured', invoice.merchant_id, 'pi_x', {
              intent: invoiceIntent(invoice.merchant_id, invoice.id, amount),
              provider: 'stripe',
              amount_captured: amount,
              fee_bps: 290,
              fee_fixed: 30,
            }),
          ),
        );
      } else {
        await tx((t) =>
          answers.failed(
            t,
            intentsEvent('payment_intent.authorization_failed', invoice.merchant_id, 'pi_y', {
              intent: invoiceIntent(invoice.merchant_id, invoice.id, amount, { status: 'failed', amount_received: 0 }),
              provider: 'stripe',
              code: 'card_declined',
              decline_code: 'insufficient_funds',
              network: 'visa',
            }),
          ),
        );
      }
    }
  }

  /** The stand-in for dunning, on the clocks registered in `standIns`. */
  async function playDunning(): Promise<void> {
    for (const [clock, settings] of standIns) {
      const failures = await fx.db.query(
        `SELECT payload FROM outbox WHERE event_type = 'invoice.payment_failed' AND payload->'data'->>'test_clock' = $1 ORDER BY id`,
        [clock],
      );
      for (const { payload: event } of failures.rows) {
        if (handledFailures.has(event.id) || event.data.billing_reason === 'subscription_create') continue;
        handledFailures.add(event.id);
        const invoice = event.data.invoice;
        const anchor = failures.rows.find((row) => row.payload.data.invoice.id === invoice.id).payload.data.failed_at;
        const base = {
          invoice: invoice.id,
          subscription: invoice.subscription,
          customer: invoice.customer,
          test_clock: clock,
          clock_time: event.data.clock_time,
        };
        const k = event.data.attempt;
        if (k <= settings.days.length) {
          const due = plusDays(anchor, settings.days[k - 1]);
          await decide(event.merchant_id, { ...base, attempt: k, decision: 'retry_scheduled', due_at: due, reason: `schedule_day_${settings.days[k - 1]}` });
          retries.push({ clock, merchant: event.merchant_id, ...base, attempt: k + 1, due, issued: false });
        } else {
          await decide(event.merchant_id, { ...base, attempt: k, decision: 'exhausted', due_at: null, reason: 'schedule_exhausted' });
          await tx((t) =>
            fx.app.get(FinalActions).exhausted(
              t,
              dunningEvent('dunning.exhausted', event.merchant_id, clock, {
                ...base,
                final_action: settings.finalAction,
                mark_uncollectible: false,
                reason: 'schedule_exhausted',
              }),
            ),
          );
        }
      }
      for (const { event } of await fx.advancedEvents(clock)) {
        if (syncedSteps.has(event.id)) continue;
        syncedSteps.add(event.id);
        const at = event.data.frozen_time;
        for (const retry of retries.filter((r) => r.clock === clock && !r.issued && r.due <= at).sort((a, b) => a.due.localeCompare(b.due))) {
          retry.issued = true;
          await retryDue(retry.merchant, retry, retry.attempt);
        }
        await sync(event.merchant_id, clock, at);
      }
    }
  }

  const decide = (merchant: string, data: EventDataOf<'dunning.decided'>) =>
    tx((t) => fx.app.get(DunningDecisions).decided(t, dunningEvent('dunning.decided', merchant, data.test_clock ?? data.invoice, data)));
  const sync = (merchant: string, clock: string, frozenTime: string) =>
    tx((t) =>
      fx.app.get(DunningDecisions).clockSynced(t, dunningEvent('dunning.clock_synced', merchant, clock, { clock, frozen_time: frozenTime })),
    );
  const retryDue = (merchant: string, c: { invoice: string; subscription: string; customer: string; clock: string }, attempt: number) =>
    tx((t) =>
      fx.app.get(RetryRequests).retryDue(
        t,
        dunningEvent('dunning.retry_due', merchant, c.clock, {
          invoice: c.invoice,
          subscription: c.subscription,
          customer: c.customer,
          attempt,
          reason: 'schedule',
          test_clock: c.clock,
          clock_time: new Date().toISOString(),
        }),
      ),
    );

  async function post(merchant: string, path: string, body: unknown): Promise<Json> {
    const answer = await fx.call('POST', path, { merchant, body });
    if (answer.status >= 300) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  /** A monthly subscription of a customer on `clock` whose renewals' attempts intents answers by `script` (the first invoice is paid). */
  async function subscribe(merchant: string, clock: string, script: (attempt: number) => Answer): Promise<{ customer: string; sub: Json }> {
    const price = await post(merchant, '/prices', { currency: 'usd', unit_amount: 2_000, recurring: { interval: 'month' } });
    const customer = await post(merchant, '/customers', { payment_method: 'pm_card_visa', test_clock: clock });
    scripts.set(customer.id, script);
    const sub = await post(merchant, '/subscriptions', { customer: customer.id, items: [{ price: price.id }] });
    return { customer: customer.id, sub };
  }

  const clockRow = (id: string) => fx.clockRow(id);
  /** Billing's events about one aggregate (an invoice, a subscription), oldest first. */
  const outboxOf = async (aggregateId: string): Promise<{ type: string; event: Json }[]> =>
    (
      await fx.db.query(`SELECT event_type, payload FROM outbox WHERE payload->>'aggregate_id' = $1 ORDER BY id`, [aggregateId])
    ).rows.map((row) => ({ type: row.event_type, event: row.payload }));
  const waitReady = (id: string, timeoutMs = 60_000) =>
    waitFor(async () => (await clockRow(id)).status === 'ready', { what: `${id} ready`, timeoutMs });
  const steps = async (id: string) => (await fx.advancedEvents(id)).map((e) => e.event.data.frozen_time as string);
  /** One step of our own (the runner may hold the clock's row at that moment: a step then passes it by). */
  const stepOf = (id: string): Promise<StepOutcome> =>
    waitFor(
      async () => {
        const outcome = await fx.app.get(TestClockAdvance).step(id);
        return outcome.kind === 'skipped' ? null : outcome;
      },
      { what: `a step of ${id}` },
    );
  const renewalOf = async (subscription: string): Promise<Json> =>
    (await fx.db.query(`SELECT * FROM invoices WHERE subscription_id = $1 AND billing_reason = 'subscription_cycle' ORDER BY period_start`, [subscription]))
      .rows[0];

  it('a clock with a failure waits for the decision and the sync, stops at the due retry, and goes on once the retry is paid', async () => {
    const merchant = newMerchant();
    const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
    const { customer, sub } = await subscribe(merchant, clock.id, (attempt) => (attempt === 1 ? 'decline' : 'capture'));
    await waitFor(async () => (await fx.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [sub.id])).rows[0].status === 'active', {
      what: 'the first invoice paid',
    });
    await fx.advance(merchant, clock.id, '2026-02-10T00:00:00Z');

    // The renewal finalized at Feb 1 01:00 is declined: the clock stays there for dunning.
    const failedAt = '2026-02-01T01:00:00.000Z';
    const renewal = await waitFor(async () => {
      const row = await renewalOf(sub.id);
      return row?.last_failed_attempt === 1 ? row : null;
    }, { what: 'the renewal declined' });
    expect(await stepOf(clock.id)).toEqual({
      kind: 'wait',
      reasons: [`dunning_undecided:${renewal.id}#1`, `dunning_clock_sync:${failedAt}`],
    });
    expect(iso((await clockRow(clock.id)).frozen_time)).toBe(failedAt);

    const base = { invoice: renewal.id, subscription: sub.id, customer, test_clock: clock.id, clock_time: failedAt };
    const retryAt = '2026-02-02T01:00:00.000Z';
    await decide(merchant, { ...base, attempt: 1, decision: 'retry_scheduled', due_at: retryAt, reason: 'schedule_day_1' });
    expect(await stepOf(clock.id)).toEqual({ kind: 'wait', reasons: [`dunning_clock_sync:${failedAt}`] });

    // Synced: the clock moves to the retry's instant (not past it) and waits for the retry there.
    await sync(merchant, clock.id, failedAt);
    await waitFor(async () => iso((await clockRow(clock.id)).frozen_time) === retryAt, { what: 'the clock at the retry' });
    expect(await stepOf(clock.id)).toEqual({
      kind: 'wait',
      reasons: [`dunning_clock_sync:${retryAt}`, `dunning_retry_due:${renewal.id}`],
    });
    expect((await steps(clock.id)).slice(-3)).toEqual(['2026-02-01T00:00:00.000Z', failedAt, retryAt]);

    await retryDue(merchant, { ...base, clock: clock.id }, 2);
    await waitReady(clock.id);
    expect((await steps(clock.id)).slice(-4)).toEqual(['2026-02-01T00:00:00.000Z', failedAt, retryAt, '2026-02-10T00:00:00.000Z']);
    const requested = (await outboxOf(renewal.id)).filter((e) => e.type === 'invoice.payment_requested');
    expect(requested.map((e) => [e.event.data.attempt, e.event.data.clock_time])).toEqual([
      [1, failedAt],
      [2, retryAt],
    ]);
    expect((await renewalOf(sub.id)).status).toBe('paid');
    expect((await fx.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [sub.id])).rows[0].status).toBe('active');
  });

  it('a clock without failures (a declined first invoice included) never waits for dunning', async () => {
    const merchant = newMerchant();
    const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
    const paying = await subscribe(merchant, clock.id, () => 'capture');
    const price = await post(merchant, '/prices', { currency: 'usd', unit_amount: 500, recurring: { interval: 'month' } });
    // No script: the stand-in for intents leaves this customer's payments to the test.
    const declining = await post(merchant, '/customers', { payment_method: 'pm_card_visa', test_clock: clock.id });
    const incomplete = await post(merchant, '/subscriptions', { customer: declining.id, items: [{ price: price.id }] });
    // The first invoice declined: no case (it never goes to dunning), the subscription expires.
    const first = (await fx.db.query(`SELECT id FROM invoices WHERE subscription_id = $1`, [incomplete.id])).rows[0];
    await tx((t) =>
      fx.app.get(PaymentAnswers).failed(
        t,
        intentsEvent('payment_intent.authorization_failed', merchant, 'pi_z', {
          intent: invoiceIntent(merchant, first.id, 500, { status: 'failed', amount_received: 0 }),
          provider: 'stripe',
          code: 'card_declined',
          decline_code: 'insufficient_funds',
        }),
      ),
    );
    await waitFor(async () => (await fx.db.query(`SELECT status FROM invoices WHERE subscription_id = $1`, [paying.sub.id])).rows[0].status === 'paid', {
      what: 'the first invoice paid',
    });

    await fx.advance(merchant, clock.id, '2026-03-15T00:00:00Z');
    await waitReady(clock.id);
    const statuses = (await fx.db.query(`SELECT status FROM invoices WHERE subscription_id = $1 ORDER BY period_start`, [paying.sub.id])).rows;
    expect(statuses.map((r) => r.status)).toEqual(['paid', 'paid', 'paid']);
    expect((await fx.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [incomplete.id])).rows[0].status).toBe('incomplete_expired');
    // Dunning never said a word about this clock.
    expect(Number((await fx.db.query(`SELECT count(*) AS n FROM dunning_clock_syncs WHERE test_clock_id = $1`, [clock.id])).rows[0].n)).toBe(0);
  });

  it('advancing 30 days runs the whole retry schedule in order, each retry at its instant, then the final action', async () => {
    const merchant = newMerchant();
    const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
    const days = [1, 3, 5, 7, 10, 12, 14];
    standIns.set(clock.id, { days, finalAction: 'cancel' });
    const { sub } = await subscribe(merchant, clock.id, () => 'decline');
    await waitFor(async () => (await fx.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [sub.id])).rows[0].status === 'active', {
      what: 'the first invoice paid',
    });
    await fx.advance(merchant, clock.id, '2026-01-31T00:00:00Z');
    await waitReady(clock.id);

    await fx.advance(merchant, clock.id, '2026-03-02T00:00:00Z');
    await waitReady(clock.id, 150_000);
    const failedAt = '2026-02-01T01:00:00.000Z';
    const renewal = await renewalOf(sub.id);
    const requested = (await outboxOf(renewal.id)).filter((e) => e.type === 'invoice.payment_requested');
    // 8 tries in 14 days: the first at finalization, then one at each schedule day after it, in order.
    expect(requested.map((e) => [e.event.data.attempt, e.event.data.clock_time])).toEqual(
      [0, ...days].map((day, i) => [i + 1, plusDays(failedAt, day)]),
    );
    const stepTimes = await steps(clock.id);
    for (const day of days) expect(stepTimes).toContain(plusDays(failedAt, day));
    expect([...stepTimes].sort()).toEqual(stepTimes);
    // Exhausted on the 8th failure: the merchant's final action (cancel) at that instant.
    expect(renewal).toMatchObject({ status: 'open', attempt_count: 8, last_failed_attempt: 8, payment_pending: false });
    const canceled = (await outboxOf(sub.id)).filter((e) => e.type === 'subscription.canceled');
    expect(canceled.map((e) => e.event.data.clock_time)).toEqual([plusDays(failedAt, 14)]);
    expect(await fx.db.query(`SELECT count(*)::int AS n FROM invoices WHERE subscription_id = $1`, [sub.id])).toMatchObject({ rows: [{ n: 2 }] });
    standIns.delete(clock.id);
  });

  it('held by dunning longer than TEST_CLOCK_STEP_TIMEOUT_MS, the clock goes on without it (counted)', async () => {
    const merchant = newMerchant();
    const clock = await fx.createClock(merchant, '2026-01-01T00:00:00Z');
    const { sub } = await subscribe(merchant, clock.id, () => 'decline');
    await waitFor(async () => (await fx.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [sub.id])).rows[0].status === 'active', {
      what: 'the first invoice paid',
    });
    await fx.advance(merchant, clock.id, '2026-02-05T00:00:00Z');
    const renewal = await waitFor(async () => {
      const row = await renewalOf(sub.id);
      return row?.last_failed_attempt === 1 ? row : null;
    }, { what: 'the renewal declined' });
    expect(await stepOf(clock.id)).toMatchObject({ kind: 'wait', reasons: expect.arrayContaining([`dunning_undecided:${renewal.id}#1`]) });

    // Released at that instant: the clock moves on, and is held again at the next one (each instant
    // waits for dunning up to the timeout), until the wall clock passes that too.
    const released = await counterValue(dunningGateReleasesTotal, {});
    wall.advance(TIMEOUT_MS + 1_000);
    await waitFor(async () => iso((await clockRow(clock.id)).frozen_time) === '2026-02-05T00:00:00.000Z', { what: 'the clock released' });
    // (≥: the database is shared, and clocks other runs left advancing are released too)
    expect(await counterValue(dunningGateReleasesTotal, {})).toBeGreaterThanOrEqual(released + 1);
    expect((await clockRow(clock.id)).status).toBe('advancing');
    wall.advance(TIMEOUT_MS + 1_000);
    await waitReady(clock.id);
    expect(await counterValue(dunningGateReleasesTotal, {})).toBeGreaterThanOrEqual(released + 2);
  });
});
