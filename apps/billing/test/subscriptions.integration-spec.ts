import { DataSource } from 'typeorm';
import { validateEvent } from '@payflow/contracts';
import { inTransaction } from '@payflow/platform/database';
import { ScheduledWork } from '../src/scheduler/scheduled-work';
import { SubscriptionStreams } from '../src/subscriptions/subscription-streams';
import { PaymentAnswers } from '../src/payments/payment-answers.service';
import { BillingFixture, Json, newKey, newMerchant } from './billing-fixture';
import { intentsEvent, invoiceIntent } from './invoices-fixture';

/**
 * Subscriptions through billing's internal API: the rules (one currency and one interval, the
 * customer's card, prices and customers of the merchant only), nothing written on a refusal, the
 * stream as the truth (append only, optimistic concurrency, the read model equal to a rebuild),
 * the published `subscription.*` events, durable idempotency of creation.
 */
describe('billing: subscriptions', () => {
  const billing = new BillingFixture();
  let streams: SubscriptionStreams;
  let dataSource: DataSource;

  beforeAll(async () => {
    await billing.start();
    streams = billing.app.get(SubscriptionStreams);
    dataSource = billing.app.get(DataSource);
  });
  afterAll(() => billing.stop());

  async function subscribe(merchant: string, body: Record<string, unknown>, key?: string) {
    return billing.post(merchant, '/subscriptions', body, key);
  }

  async function setUp(options: { paymentMethod?: string | null } = {}) {
    const merchant = newMerchant();
    const customer = await billing.createCustomer(
      merchant,
      options.paymentMethod === null ? {} : { payment_method: options.paymentMethod ?? 'pm_card_visa' },
    );
    const price = await billing.createPrice(merchant, { unit_amount: 2000 });
    return { merchant, customer, price };
  }

  async function streamOf(id: string): Promise<{ version: number; type: string }[]> {
    const { rows } = await billing.db.query(
      `SELECT version, type FROM subscription_events WHERE subscription_id = $1 ORDER BY version`,
      [id],
    );
    return rows;
  }

  async function expectReadModelIsTheStream(id: string): Promise<void> {
    const { rows } = await billing.db.query(`SELECT object, version FROM subscriptions WHERE id = $1`, [id]);
    expect(rows[0].object).toEqual(await streams.rebuiltObject(dataSource, id));
    expect(rows[0].version).toBe((await streamOf(id)).length);
  }

  it('creates without a trial: incomplete, first invoice finalized and its payment requested, subscription.created published', async () => {
    const { merchant, customer, price } = await setUp();
    const answer = await subscribe(merchant, { customer: customer.id, items: [{ price: price.id, quantity: 2 }] });
    expect(answer.status).toBe(201);
    const sub = answer.body;
    expect(sub).toMatchObject({
      object: 'subscription',
      customer: customer.id,
      status: 'incomplete',
      items: [{ price: price.id, quantity: 2 }],
      trial_end: null,
      cancel_at_period_end: false,
      canceled_at: null,
    });
    expect(sub.id).toMatch(/^sub_[0-9a-f]{24}$/);
    expect(sub.latest_invoice).toMatch(/^in_/);
    expect(sub.billing_cycle_anchor).toBe(sub.current_period_start);
    expect(Date.parse(sub.current_period_end)).toBeGreaterThan(Date.parse(sub.current_period_start));
    expect((await billing.get(merchant, `/subscriptions/${sub.id}`)).body).toEqual(sub);
    expect(await streamOf(sub.id)).toEqual([{ version: 1, type: 'created' }]);

    const events = await billing.outboxOf(sub.id);
    const created = events.find((e) => e.type === 'subscription.created');
    expect(created).toBeDefined();
    expect(validateEvent(created!.event)).toMatchObject({ ok: true });
    expect(created!.event).toMatchObject({
      aggregate_type: 'subscription',
      aggregate_id: sub.id,
      aggregate_version: 1,
      merchant_id: merchant,
      data: { subscription: { id: sub.id, status: 'incomplete' }, previous_status: null, test_clock: null },
    });
    // CORE-B's part, seen from here: the first invoice was finalized and its payment requested.
    expect(events.map((e) => e.type)).toEqual(expect.arrayContaining(['invoice.finalized', 'invoice.payment_requested']));
    const { rows: work } = await billing.db.query(
      `SELECT kind, due_at FROM scheduled_work WHERE subject_id = $1 AND kind = 'subscription.expire_incomplete'`,
      [sub.id],
    );
    expect(work).toHaveLength(1);
    expect(new Date(work[0].due_at).getTime()).toBe(Date.parse(sub.created) + 23 * 3_600_000);
    await expectReadModelIsTheStream(sub.id);
  });

  it('creates with a trial: trialing, no card needed, trial_end scheduled, and the lists filter by customer and status', async () => {
    const { merchant, customer, price } = await setUp({ paymentMethod: null });
    const answer = await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }], trial_period_days: 14 });
    expect(answer.status).toBe(201);
    const sub = answer.body;
    expect(sub).toMatchObject({ status: 'trialing', items: [{ price: price.id, quantity: 1 }] });
    expect(Date.parse(sub.trial_end) - Date.parse(sub.created)).toBe(14 * 86_400_000);
    const { rows } = await billing.db.query(
      `SELECT due_at FROM scheduled_work WHERE subject_id = $1 AND kind = 'subscription.trial_end'`,
      [sub.id],
    );
    expect(rows.map((r) => new Date(r.due_at).toISOString())).toEqual([new Date(sub.trial_end).toISOString()]);

    const other = await billing.createCustomer(merchant);
    const second = (await subscribe(merchant, { customer: other.id, items: [{ price: price.id }] })).body;
    const all = await billing.get(merchant, '/subscriptions');
    expect(all.body.data.map((s: Json) => s.id)).toEqual([second.id, sub.id]);
    const mine = await billing.get(merchant, `/subscriptions?customer=${customer.id}`);
    expect(mine.body.data.map((s: Json) => s.id)).toEqual([sub.id]);
    const trialing = await billing.get(merchant, '/subscriptions?status=trialing');
    expect(trialing.body.data.map((s: Json) => s.id)).toEqual([sub.id]);
    const page = await billing.get(merchant, `/subscriptions?limit=1`);
    expect(page.body).toMatchObject({ has_more: true, url: '/v1/subscriptions' });
    expect((await billing.get(newMerchant(), '/subscriptions')).body.data).toEqual([]);
  });

  it('refuses bad subscriptions naming the field, and writes nothing', async () => {
    const { merchant, customer, price } = await setUp();
    const eur = await billing.createPrice(merchant, { currency: 'eur' });
    const yearly = await billing.createPrice(merchant, { recurring: { interval: 'year' } });
    const inactive = await billing.createPrice(merchant, { active: false });
    const cardless = await billing.createCustomer(merchant, {});
    const strangerCustomer = await billing.createCustomer(newMerchant());
    const strangerPrice = await billing.createPrice(newMerchant());
    const outboxBefore = await billing.outboxCountOfMerchant(merchant);

    const cases: [Record<string, unknown>, number, string][] = [
      [{ customer: customer.id, items: [{ price: price.id }, { price: eur.id }] }, 400, 'items'],
      [{ customer: customer.id, items: [{ price: price.id }, { price: yearly.id }] }, 400, 'items'],
      [{ customer: customer.id, items: [{ price: inactive.id }] }, 400, 'items[0][price]'],
      [{ customer: customer.id, items: [{ price: price.id }, { price: strangerPrice.id }] }, 404, 'items[1][price]'],
      [{ customer: strangerCustomer.id, items: [{ price: price.id }] }, 404, 'customer'],
      [{ customer: 'cus_000000000000000000000000', items: [{ price: price.id }] }, 404, 'customer'],
      [{ customer: cardless.id, items: [{ price: price.id }] }, 400, 'customer'],
      [{ customer: customer.id, items: [] }, 400, 'items'],
      [{ customer: customer.id, items: [{ price: price.id }, { price: price.id }] }, 400, 'items'],
      [{ customer: customer.id, items: [{ price: price.id, quantity: 0 }] }, 400, 'items[0][quantity]'],
      [{ customer: customer.id, items: [{ price: price.id }], trial_period_days: 0 }, 400, 'trial_period_days'],
      [{ customer: customer.id, items: [{ price: price.id }], billing_cycle_anchor: 1 }, 400, 'billing_cycle_anchor'],
      [{ customer: customer.id }, 400, 'items'],
    ];
    for (const [body, status, param] of cases) {
      const answer = await subscribe(merchant, body);
      expect({ body, status: answer.status, param: answer.body.error?.param }).toEqual({ body, status, param });
    }
    expect(await billing.count('subscriptions', merchant)).toBe(0);
    const { rows } = await billing.db.query(
      `SELECT count(*)::int AS n FROM subscription_events WHERE data->>'merchant_id' = $1`,
      [merchant],
    );
    expect(rows[0].n).toBe(0);
    expect(await billing.count('invoices', merchant)).toBe(0);
    expect(await billing.outboxCountOfMerchant(merchant)).toBe(outboxBefore);
  });

  it("another merchant's subscription is a 404 for reads, changes and cancellations", async () => {
    const { merchant, customer, price } = await setUp();
    const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }] })).body;
    const stranger = newMerchant();
    expect((await billing.get(stranger, `/subscriptions/${sub.id}`)).status).toBe(404);
    expect((await billing.post(stranger, `/subscriptions/${sub.id}`, { cancel_at_period_end: true })).status).toBe(404);
    expect((await billing.post(stranger, `/subscriptions/${sub.id}/cancel`, {})).status).toBe(404);
    expect((await billing.get(merchant, '/subscriptions/sub_nope')).status).toBe(404);
    expect(await streamOf(sub.id)).toHaveLength(1);
  });

  it('changes items of a trialing subscription, schedules and takes back a cancellation, then cancels; each step one event', async () => {
    const { merchant, customer, price } = await setUp();
    const pro = await billing.createPrice(merchant, { unit_amount: 5000 });
    const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }], trial_period_days: 7 })).body;

    const changed = await billing.post(merchant, `/subscriptions/${sub.id}`, { items: [{ price: pro.id, quantity: 3 }] });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ status: 'trialing', items: [{ price: pro.id, quantity: 3 }] });
    const same = await billing.post(merchant, `/subscriptions/${sub.id}`, { items: [{ price: pro.id, quantity: 3 }] });
    expect(same.body).toEqual(changed.body);

    const eur = await billing.createPrice(merchant, { currency: 'eur' });
    const refused = await billing.post(merchant, `/subscriptions/${sub.id}`, { items: [{ price: eur.id }] });
    expect(refused.status).toBe(400);
    expect(refused.body.error.param).toBe('items');

    const scheduled = await billing.post(merchant, `/subscriptions/${sub.id}/cancel`, { at_period_end: true });
    expect(scheduled.body).toMatchObject({ status: 'trialing', cancel_at_period_end: true });
    const { rows } = await billing.db.query(
      `SELECT due_at FROM scheduled_work WHERE subject_id = $1 AND kind = 'subscription.cancel_at_period_end'`,
      [sub.id],
    );
    expect(rows.map((r) => new Date(r.due_at).toISOString())).toEqual([scheduled.body.current_period_end]);
    const takenBack = await billing.post(merchant, `/subscriptions/${sub.id}`, { cancel_at_period_end: false });
    expect(takenBack.body.cancel_at_period_end).toBe(false);

    const canceled = await billing.post(merchant, `/subscriptions/${sub.id}/cancel`, {});
    expect(canceled.status).toBe(200);
    expect(canceled.body).toMatchObject({ status: 'canceled' });
    expect(canceled.body.canceled_at).not.toBeNull();
    const again = await billing.post(merchant, `/subscriptions/${sub.id}/cancel`, {});
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'invalid_state_transition' });
    const change = await billing.post(merchant, `/subscriptions/${sub.id}`, { items: [{ price: price.id }] });
    expect(change.status).toBe(409);

    expect((await streamOf(sub.id)).map((e) => e.type)).toEqual([
      'created',
      'items_changed',
      'cancel_scheduled',
      'cancel_unscheduled',
      'canceled',
    ]);
    const published = (await billing.outboxOf(sub.id)).filter((e) => e.type.startsWith('subscription.'));
    expect(published.map((e) => [e.type, e.event.aggregate_version])).toEqual([
      ['subscription.created', 1],
      ['subscription.updated', 2],
      ['subscription.updated', 3],
      ['subscription.updated', 4],
      ['subscription.canceled', 5],
    ]);
    expect(published[4].event.data).toMatchObject({ previous_status: 'trialing', subscription: { status: 'canceled' } });
    for (const { event } of published) expect(validateEvent(event)).toMatchObject({ ok: true });
    await expectReadModelIsTheStream(sub.id);
  });

  it('optimistic concurrency: of two concurrent cancellations one wins, the other is a 409; a stale append is a 409', async () => {
    const { merchant, customer, price } = await setUp();
    const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }], trial_period_days: 3 })).body;
    const answers = await Promise.all([
      billing.post(merchant, `/subscriptions/${sub.id}/cancel`, {}),
      billing.post(merchant, `/subscriptions/${sub.id}/cancel`, {}),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    expect(await streamOf(sub.id)).toEqual([
      { version: 1, type: 'created' },
      { version: 2, type: 'canceled' },
    ]);

    const stale = inTransaction(dataSource, (tx) =>
      streams.append(tx, sub.id, 1, [{ type: 'cancel_unscheduled', at: Math.floor(Date.now() / 1000), data: {} }]),
    );
    await expect(stale).rejects.toMatchObject({ status: 409, code: 'resource_conflict' });
    expect(await streamOf(sub.id)).toHaveLength(2);
    await expectReadModelIsTheStream(sub.id);
  });

  it('the stream is append only: the database refuses UPDATE and DELETE', async () => {
    const { merchant, customer, price } = await setUp();
    const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }] })).body;
    await expect(
      billing.db.query(`UPDATE subscription_events SET type = 'canceled' WHERE subscription_id = $1`, [sub.id]),
    ).rejects.toThrow();
    await expect(billing.db.query(`DELETE FROM subscription_events WHERE subscription_id = $1`, [sub.id])).rejects.toThrow();
    expect(await streamOf(sub.id)).toHaveLength(1);
  });

  it('a damaged read model is rebuilt from the streams', async () => {
    const { merchant, customer, price } = await setUp();
    const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }] })).body;
    await billing.db.query(
      `UPDATE subscriptions SET status = 'active', object = jsonb_set(object, '{status}', '"active"') WHERE id = $1`,
      [sub.id],
    );
    expect((await billing.get(merchant, `/subscriptions/${sub.id}`)).body.status).toBe('active');
    const result = await streams.rebuildAll(dataSource);
    expect(result.rebuilt).toBeGreaterThanOrEqual(1);
    expect((await billing.get(merchant, `/subscriptions/${sub.id}`)).body).toEqual(sub);
    await expectReadModelIsTheStream(sub.id);
    // Rebuilt once, a second pass finds nothing to change for it.
    expect(await inTransaction(dataSource, (tx) => streams.rebuild(tx, sub.id))).toBe(false);
  });

  it('creation with an Idempotency-Key is durable: a replay answers the same subscription, one stream, one invoice', async () => {
    const { merchant, customer, price } = await setUp();
    const key = newKey();
    const body = { customer: customer.id, items: [{ price: price.id }] };
    const first = await subscribe(merchant, body, key);
    const again = await subscribe(merchant, body, key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(await billing.count('subscriptions', merchant)).toBe(1);
    expect(await billing.count('invoices', merchant)).toBe(1);
    const mismatch = await subscribe(merchant, { ...body, items: [{ price: price.id, quantity: 2 }] }, key);
    expect(mismatch.status).toBe(422);
  });

  it("a customer on a test clock subscribes on the clock's time", async () => {
    const merchant = newMerchant();
    const frozen = Date.parse('2030-01-31T00:00:00Z') / 1000;
    const clock = (await billing.post(merchant, '/test_clocks', { frozen_time: frozen })).body;
    const customer = await billing.createCustomer(merchant, { payment_method: 'pm_card_visa', test_clock: clock.id });
    const price = await billing.createPrice(merchant);
    const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }] })).body;
    expect(sub).toMatchObject({
      status: 'incomplete',
      created: '2030-01-31T00:00:00.000Z',
      current_period_start: '2030-01-31T00:00:00.000Z',
      current_period_end: '2030-02-28T00:00:00.000Z',
    });
    const created = (await billing.outboxOf(sub.id)).find((e) => e.type === 'subscription.created');
    expect(created!.event.data).toMatchObject({ test_clock: clock.id, clock_time: '2030-01-31T00:00:00.000Z' });
    const { rows } = await billing.db.query(
      `SELECT test_clock_id, due_at FROM scheduled_work WHERE subject_id = $1 AND kind = 'subscription.expire_incomplete'`,
      [sub.id],
    );
    expect(rows).toEqual([{ test_clock_id: clock.id, due_at: new Date('2030-01-31T23:00:00Z') }]);
  });

  describe("the subscription's scheduled work, run on a test clock", () => {
    const start = Date.parse('2030-03-01T00:00:00Z') / 1000;

    async function onClock(paymentMethod: string | null) {
      const merchant = newMerchant();
      const clock = (await billing.post(merchant, '/test_clocks', { frozen_time: start })).body;
      const customer = await billing.createCustomer(merchant, {
        test_clock: clock.id,
        ...(paymentMethod ? { payment_method: paymentMethod } : {}),
      });
      const price = await billing.createPrice(merchant);
      return { merchant, clock, customer, price };
    }

    const runDue = (clockId: string, upTo: string) => billing.app.get(ScheduledWork).runDue(clockId, new Date(upTo));

    it('expire_incomplete: still incomplete 23 h after creation → incomplete_expired (status_changed), once', async () => {
      const { merchant, clock, customer, price } = await onClock('pm_card_visa');
      const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }] })).body;
      await runDue(clock.id, '2030-03-01T22:59:59Z');
      expect((await billing.get(merchant, `/subscriptions/${sub.id}`)).body.status).toBe('incomplete');
      await runDue(clock.id, '2030-03-01T23:00:00Z');
      await runDue(clock.id, '2030-03-01T23:00:00Z');
      expect((await billing.get(merchant, `/subscriptions/${sub.id}`)).body.status).toBe('incomplete_expired');
      expect((await streamOf(sub.id)).map((e) => e.type)).toEqual(['created', 'status_changed']);
      const changed = (await billing.outboxOf(sub.id)).find((e) => e.type === 'subscription.status_changed');
      expect(changed!.event.data).toMatchObject({
        previous_status: 'incomplete',
        reason: 'first_invoice_not_paid_in_23h',
        subscription: { status: 'incomplete_expired' },
        test_clock: clock.id,
        clock_time: '2030-03-01T23:00:00.000Z',
      });
      await expectReadModelIsTheStream(sub.id);
    });

    const firstInvoiceOf = async (subscriptionId: string) =>
      (await billing.db.query(`SELECT * FROM invoices WHERE subscription_id = $1 ORDER BY created_at, id`, [subscriptionId])).rows[0];

    /** Intents' answer that the invoice's payment was declined. */
    const declined = (merchant: string, invoice: Json) =>
      inTransaction(dataSource, (tx) =>
        billing.app.get(PaymentAnswers).failed(
          tx,
          intentsEvent('payment_intent.authorization_failed', merchant, 'pi_declined', {
            intent: invoiceIntent(merchant, invoice.id, Number(invoice.amount_due), {
              status: 'failed',
              amount_received: 0,
              last_error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'declined' },
            }),
            provider: 'stripe',
            code: 'card_declined',
            decline_code: 'insufficient_funds',
            network: 'visa',
          }),
        ),
      );

    it('expire_incomplete voids the open first invoice (Stripe), with invoice.voided, so nothing is left to collect', async () => {
      const { merchant, clock, customer, price } = await onClock('pm_card_visa');
      const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }] })).body;
      await declined(merchant, await firstInvoiceOf(sub.id));
      expect(await firstInvoiceOf(sub.id)).toMatchObject({ status: 'open', payment_pending: false });
      await runDue(clock.id, '2030-03-01T23:00:00Z');
      const invoice = await firstInvoiceOf(sub.id);
      expect(invoice).toMatchObject({ status: 'void' });
      expect(new Date(invoice.voided_at).toISOString()).toBe('2030-03-01T23:00:00.000Z');
      const voided = (await billing.outboxOf(sub.id)).filter((e) => e.type === 'invoice.voided');
      expect(voided).toHaveLength(1);
      expect(voided[0].event.data.invoice).toMatchObject({ id: invoice.id, status: 'void' });
      expect((await billing.get(merchant, `/subscriptions/${sub.id}`)).body.status).toBe('incomplete_expired');
    });

    it('expire_incomplete leaves a first invoice whose payment is in flight open; that payment failing then voids it', async () => {
      const { merchant, clock, customer, price } = await onClock('pm_card_visa');
      const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }] })).body;
      await runDue(clock.id, '2030-03-01T23:00:00Z');
      const inFlight = await firstInvoiceOf(sub.id);
      expect(inFlight).toMatchObject({ status: 'open', payment_pending: true });
      await declined(merchant, inFlight);
      expect(await firstInvoiceOf(sub.id)).toMatchObject({ status: 'void', payment_pending: false, last_failed_attempt: 1 });
      const types = (await billing.outboxOf(sub.id)).map((e) => e.type).filter((type) => type.startsWith('invoice.'));
      expect(types.slice(-2)).toEqual(['invoice.payment_failed', 'invoice.voided']);
    });

    it('trial_end: the trial ends at its instant (trial_ended, subscription.updated) and the first paid period is billed', async () => {
      const { merchant, clock, customer, price } = await onClock('pm_card_visa');
      const sub = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }], trial_period_days: 7 })).body;
      expect(sub.trial_end).toBe('2030-03-08T00:00:00.000Z');
      await runDue(clock.id, '2030-03-08T00:00:00Z');
      const after = (await billing.get(merchant, `/subscriptions/${sub.id}`)).body;
      expect(after.status).not.toBe('trialing');
      expect((await streamOf(sub.id)).map((e) => e.type)).toContain('trial_ended');
      const updated = (await billing.outboxOf(sub.id)).filter((e) => e.type === 'subscription.updated');
      expect(updated.map((e) => e.event.data.previous_status)).toContain('trialing');
      const { rows } = await billing.db.query(
        `SELECT period_start FROM invoices WHERE subscription_id = $1 AND period_start = $2`,
        [sub.id, new Date('2030-03-08T00:00:00Z')],
      );
      expect(rows).toHaveLength(1);
      await expectReadModelIsTheStream(sub.id);
    });

    it('cancel_at_period_end: canceled at the period end; a cancellation taken back leaves its row doing nothing', async () => {
      const { merchant, clock, customer, price } = await onClock(null);
      const kept = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }], trial_period_days: 5 })).body;
      const ending = (await subscribe(merchant, { customer: customer.id, items: [{ price: price.id }], trial_period_days: 5 })).body;
      for (const sub of [kept, ending]) {
        expect((await billing.post(merchant, `/subscriptions/${sub.id}`, { cancel_at_period_end: true })).status).toBe(200);
      }
      expect((await billing.post(merchant, `/subscriptions/${kept.id}`, { cancel_at_period_end: false })).status).toBe(200);
      await runDue(clock.id, '2030-03-06T00:00:00Z');
      const canceled = (await billing.get(merchant, `/subscriptions/${ending.id}`)).body;
      // Stripe's canceled_at: when the cancellation was asked for, not when it took effect.
      expect(canceled).toMatchObject({ status: 'canceled', canceled_at: '2030-03-01T00:00:00.000Z' });
      // Its period was the trial: the trial's end is its end, and nothing was billed for after it.
      expect((await streamOf(ending.id)).map((e) => e.type)).toEqual(['created', 'cancel_scheduled', 'canceled']);
      const { rows: billed } = await billing.db.query(
        `SELECT count(*)::int AS n FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id
          WHERE i.subscription_id = $1 AND l.amount <> 0`,
        [ending.id],
      );
      expect(billed[0].n).toBe(0);
      expect((await streamOf(kept.id)).map((e) => e.type)).not.toContain('canceled');
      await expectReadModelIsTheStream(ending.id);
      await expectReadModelIsTheStream(kept.id);
    });
  });
});
