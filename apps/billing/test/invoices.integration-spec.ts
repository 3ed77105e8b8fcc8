import { randomBytes } from 'node:crypto';
import { invoiceKeyTime, generateInvoiceLines, linesHash } from '../src/invoice-generation';
import { InvoiceFinalization } from '../src/invoices/invoice-finalization';
import { InvoicesRepository } from '../src/invoices/invoices.repository';
import { Invoicing } from '../src/invoices/invoicing';
import { PaymentAnswers } from '../src/payments/payment-answers.service';
import { ScheduledWork } from '../src/scheduler/scheduled-work';
import { SchedulerPoller } from '../src/scheduler/scheduler.poller';
import { defaultInvoicePrefix } from '../src/settings/invoice-prefix';
import { SubscriptionStreams } from '../src/subscriptions/subscription-streams';
import { InvoicesFixture, Json, intentsEvent, invoiceIntent, newMerchant } from './invoices-fixture';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('billing: invoices, finalization, numbering, payments and preview', () => {
  const fx = new InvoicesFixture();
  const subscriptions: string[] = [];

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const invoiceOf = async (id: string): Promise<Json> => (await fx.db.query(`SELECT * FROM invoices WHERE id = $1`, [id])).rows[0];
  const subscriptionStatus = async (id: string): Promise<string> =>
    (await fx.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [id])).rows[0].status;
  const balanceOf = async (customer: string): Promise<number> =>
    Number((await fx.db.query(`SELECT balance FROM customer_balances WHERE customer_id = $1 AND currency = 'USD'`, [customer])).rows[0]?.balance ?? 0);

  const captured = (merchant: string, invoice: Json) =>
    fx.tx((tx) =>
      fx.get(PaymentAnswers).captured(
        tx,
        intentsEvent('payment_intent.captured', merchant, 'pi_x', {
          intent: invoiceIntent(merchant, invoice.id, Number(invoice.amount_due)),
          provider: 'stripe',
          amount_captured: Number(invoice.amount_due),
          fee_bps: 290,
          fee_fixed: 30,
        }),
      ),
    );

  /** A draft with the given line amounts, written directly (an invoice without subscription). */
  async function draft(merchant: string, customer: string, amounts: number[], clock: string | null = null): Promise<string> {
    const id = `in_${randomBytes(12).toString('hex')}`;
    await fx.db.query(
      `INSERT INTO invoices (id, merchant_id, customer_id, invoice_key, test_clock_id, status, currency, period_start, period_end, created_at)
       VALUES ($1, $2, $3, $4, $5, 'draft', 'USD', now(), now(), now())`,
      [id, merchant, customer, `manual:${id}`, clock],
    );
    for (const [i, amount] of amounts.entries()) {
      await fx.db.query(
        `INSERT INTO invoice_lines (id, invoice_id, type, kind, description, price_id, quantity, amount, period_start, period_end, stream_version, position)
         VALUES ($1, $2, 'subscription', 'recurring', 'test', 'price_x', 1, $3, now(), now(), 1, $4)`,
        [`il_${randomBytes(12).toString('hex')}`, id, amount, i],
      );
    }
    return id;
  }

  describe('a subscription from creation to renewal', () => {
    const merchant = newMerchant();
    const prefix = defaultInvoicePrefix(merchant);
    let sub: Json;
    let customer: Json;

    it('finalizes the first invoice at once, numbers it, requests its payment; billing again for the same time writes nothing', async () => {
      const price = await fx.price(merchant, 2000);
      customer = await fx.customer(merchant);
      sub = await fx.subscribe(merchant, customer.id, price.id);
      subscriptions.push(sub.id);
      expect(sub.status).toBe('incomplete');

      const [first] = await fx.invoicesOf(sub.id);
      expect(first).toMatchObject({ status: 'open', number: `${prefix}-000001`, attempt_count: 1, payment_pending: true });
      expect(Number(first.total)).toBe(2000);
      expect(Number(first.amount_due)).toBe(2000);
      expect(sub.latest_invoice ?? (await fx.ok('GET', `/subscriptions/${sub.id}`, merchant)).latest_invoice).toBe(first.id);

      const events = await fx.outboxOf(first.id);
      expect(events.map((e) => e.type)).toEqual(['invoice.finalized', 'invoice.payment_requested']);
      expect(events[1].data).toMatchObject({
        attempt: 1,
        amount: 2000,
        currency: 'USD',
        customer: customer.id,
        payment_method: 'pm_card_visa',
        off_session: true,
        test_clock: null,
      });
      expect(events[1].data.invoice).toMatchObject({ id: first.id, number: `${prefix}-000001`, status: 'open', attempt_count: 1 });
      expect(events.map((e) => e.aggregate_version)).toEqual([2, 3]);

      const count = () =>
        fx.countRows(
          `SELECT (SELECT count(*) FROM invoices WHERE subscription_id = $1) + (SELECT count(*) FROM invoice_lines WHERE subscription_id = $1)
                + (SELECT count(*) FROM scheduled_work WHERE subject_id = $1) AS n`,
          [sub.id],
        );
      const before = await count();
      const again = await fx.tx((tx) => fx.get(Invoicing).bill(tx, sub.id, fx.clock.now(), { finalizeNow: true }));
      expect(again).toEqual([]);
      expect(await count()).toBe(before);
      // The renewal is scheduled at the next boundary.
      const { rows } = await fx.db.query(`SELECT due_at FROM scheduled_work WHERE kind = 'subscription.renew' AND subject_id = $1`, [sub.id]);
      expect(rows.map((r) => new Date(r.due_at).toISOString())).toEqual(['2026-02-01T00:00:00.000Z']);
    });

    it('a captured payment pays the first invoice and activates the subscription; a republished answer changes nothing', async () => {
      const [first] = await fx.invoicesOf(sub.id);
      await captured(merchant, first);
      await captured(merchant, first);
      const paid = await invoiceOf(first.id);
      expect(paid).toMatchObject({ status: 'paid', payment_pending: false });
      expect(Number(paid.amount_paid)).toBe(2000);
      expect(paid.payment_intent_id).toMatch(/^pi_/);
      expect((await fx.outboxOf(first.id, 'invoice.paid')).length).toBe(1);
      expect(await subscriptionStatus(sub.id)).toBe('active');
      const changes = await fx.outboxOf(sub.id, 'subscription.status_changed');
      expect(changes.map((e) => [e.data.previous_status, e.data.subscription.status, e.data.reason])).toEqual([
        ['incomplete', 'active', 'first_invoice_paid'],
      ]);
    });

    it('renews at the boundary into a draft finalized after the draft window; a failure makes it past_due, once', async () => {
      fx.clock.set(new Date('2026-02-01T00:00:00Z'));
      await fx.get(SchedulerPoller).pass();
      const renewal = (await fx.invoicesOf(sub.id))[1];
      expect(renewal).toMatchObject({ status: 'draft', number: null, invoice_key: `b:${Date.parse('2026-02-01T00:00:00Z') / 1000}` });
      expect(new Date(renewal.finalize_at).toISOString()).toBe('2026-02-01T01:00:00.000Z');
      await fx.get(SchedulerPoller).pass();
      expect((await invoiceOf(renewal.id)).status).toBe('draft');

      fx.clock.set(new Date('2026-02-01T01:00:00Z'));
      await fx.get(SchedulerPoller).pass();
      const open = await invoiceOf(renewal.id);
      expect(open).toMatchObject({ status: 'open', number: `${prefix}-000002`, payment_pending: true, attempt_count: 1 });

      const failure = (code: string) =>
        fx.tx((tx) =>
          fx.get(PaymentAnswers).failed(
            tx,
            intentsEvent('payment_intent.authorization_failed', merchant, 'pi_y', {
              intent: invoiceIntent(merchant, renewal.id, 2000, {
                id: 'pi_0123456789abcdef01234567',
                status: 'failed',
                amount_received: 0,
                last_error: { type: 'card_error', code, decline_code: 'insufficient_funds', message: 'declined', advice_code: '02' },
              }),
              provider: 'stripe',
              code,
              decline_code: 'insufficient_funds',
              network: 'visa',
            }),
          ),
        );
      await failure('card_declined');
      await failure('card_declined');
      const failed = await fx.outboxOf(renewal.id, 'invoice.payment_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0].data).toMatchObject({
        attempt: 1,
        payment_intent: 'pi_0123456789abcdef01234567',
        payment_method: 'pm_card_visa',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        network: 'visa',
        advice_code: '02',
        failed_at: '2026-02-01T01:00:00.000Z',
      });
      expect(await invoiceOf(renewal.id)).toMatchObject({ status: 'open', payment_pending: false, last_failed_attempt: 1 });
      expect(await subscriptionStatus(sub.id)).toBe('past_due');
    });

    it('pay requests the next attempt (409 while in flight), a rejection clears it, and paying brings the subscription back to active', async () => {
      const renewal = (await fx.invoicesOf(sub.id))[1];
      const paid = await fx.call('POST', `/invoices/${renewal.id}/pay`, merchant);
      expect(paid.status).toBe(200);
      expect(paid.body).toMatchObject({ id: renewal.id, status: 'open', attempt_count: 2 });
      expect((await fx.call('POST', `/invoices/${renewal.id}/pay`, merchant)).body.error.code).toBe('invoice_payment_in_flight');
      const requested = await fx.outboxOf(renewal.id, 'invoice.payment_requested');
      expect(requested.map((e) => e.data.attempt)).toEqual([1, 2]);

      await fx.tx((tx) =>
        fx.get(PaymentAnswers).rejected(
          tx,
          intentsEvent('invoice.payment_request_rejected', merchant, renewal.id, { invoice: renewal.id, attempt: 2, reason: 'intent_in_flight' }),
        ),
      );
      expect(await invoiceOf(renewal.id)).toMatchObject({ payment_pending: false, attempt_count: 2 });

      await captured(merchant, await invoiceOf(renewal.id));
      expect((await invoiceOf(renewal.id)).status).toBe('paid');
      expect(await subscriptionStatus(sub.id)).toBe('active');
      expect((await fx.call('POST', `/invoices/${renewal.id}/void`, merchant)).body.error.code).toBe('invoice_not_open');
    });

    it('lists and gets invoices for their merchant only', async () => {
      const list = await fx.ok('GET', `/invoices?subscription=${sub.id}&limit=1`, merchant);
      expect(list).toMatchObject({ object: 'list', has_more: true, url: '/v1/invoices' });
      expect(list.data[0].lines[0]).toMatchObject({ type: 'subscription', amount: 2000, quantity: 1 });
      const next = await fx.ok('GET', `/invoices?subscription=${sub.id}&starting_after=${list.data[0].id}`, merchant);
      expect(next.data).toHaveLength(1);
      expect((await fx.call('GET', `/invoices/${list.data[0].id}`, newMerchant())).status).toBe(404);
      expect((await fx.call('GET', `/invoices/in_nope`, merchant)).status).toBe(404);
      expect((await fx.call('GET', `/invoices?status=bogus`, merchant)).body.error.param).toBe('status');
    });
  });

  describe('numbers', () => {
    it('200 invoices finalized concurrently for one merchant get 1…200, test-clock customers their own TEST sequence', async () => {
      const merchant = newMerchant();
      const prefix = defaultInvoicePrefix(merchant);
      const customer = await fx.customer(merchant);
      const ids = await Promise.all(Array.from({ length: 200 }, () => draft(merchant, customer.id, [100])));
      const clock = await fx.ok('POST', '/test_clocks', merchant, { frozen_time: Date.parse('2026-01-01T00:00:00Z') / 1000 });
      const onClock = await fx.ok('POST', '/customers', merchant, { payment_method: 'pm_card_visa', test_clock: clock.id });
      const testIds = await Promise.all([1, 2, 3].map(() => draft(merchant, onClock.id, [100], clock.id)));

      // Eight finalizers at once over the service's pool: they contend for the merchant's sequence row.
      const queue = [...ids, ...testIds];
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let id = queue.shift(); id; id = queue.shift()) {
            const invoice = id;
            await fx.tx((tx) => fx.get(InvoiceFinalization).finalize(tx, invoice));
          }
        }),
      );

      const { rows } = await fx.db.query(`SELECT number, test_clock_id FROM invoices WHERE merchant_id = $1`, [merchant]);
      const live = rows.filter((r) => r.test_clock_id === null).map((r) => r.number).sort();
      expect(live).toEqual(Array.from({ length: 200 }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`));
      const test = rows.filter((r) => r.test_clock_id !== null).map((r) => r.number).sort();
      expect(test).toEqual([1, 2, 3].map((n) => `TEST-${prefix}-00000${n}`));
      // Finalizing again changes nothing: no number is drawn twice.
      await fx.tx((tx) => fx.get(InvoiceFinalization).finalize(tx, ids[0]));
      expect(
        Number((await fx.db.query(`SELECT last_number FROM invoice_number_sequences WHERE merchant_id = $1 AND sequence = 'live'`, [merchant])).rows[0].last_number),
      ).toBe(200);
    });
  });

  describe('immutability', () => {
    it("the database refuses changes to a finalized invoice's lines, totals, number, and transitions outside the table", async () => {
      const merchant = newMerchant();
      const customer = await fx.customer(merchant);
      const id = await draft(merchant, customer.id, [500, 700]);
      await fx.tx((tx) => fx.get(InvoiceFinalization).finalize(tx, id));
      const refused = [
        `UPDATE invoice_lines SET amount = 1 WHERE invoice_id = '${id}'`,
        `DELETE FROM invoice_lines WHERE invoice_id = '${id}'`,
        `INSERT INTO invoice_lines (id, invoice_id, type, kind, description, price_id, quantity, amount, period_start, period_end, stream_version, position)
           VALUES ('il_late', '${id}', 'proration', 'x', 'x', 'price_x', 1, 5, now(), now(), 1, 9)`,
        `UPDATE invoices SET total = 1 WHERE id = '${id}'`,
        `UPDATE invoices SET subtotal = 1 WHERE id = '${id}'`,
        `UPDATE invoices SET amount_due = 1 WHERE id = '${id}'`,
        `UPDATE invoices SET number = 'X-000009' WHERE id = '${id}'`,
        `UPDATE invoices SET currency = 'EUR' WHERE id = '${id}'`,
        `UPDATE invoices SET status = 'draft', payment_pending = false WHERE id = '${id}'`,
        `DELETE FROM invoices WHERE id = '${id}'`,
        `TRUNCATE invoice_lines`,
      ];
      for (const sql of refused) await expect(fx.db.query(sql)).rejects.toThrow(/immutable|never changes|not an allowed|takes no more|only a draft|permission denied/);
      // Payment fields still move along the allowed transitions.
      await fx.db.query(`UPDATE invoices SET payment_pending = false, status = 'uncollectible' WHERE id = $1`, [id]);
      await fx.db.query(`UPDATE invoices SET status = 'paid', amount_paid = 1200 WHERE id = $1`, [id]);
      await expect(fx.db.query(`UPDATE invoices SET status = 'open' WHERE id = $1`, [id])).rejects.toThrow(/not an allowed/);
    });
  });

  describe('credit balance', () => {
    it('applies credit at finalization, pays zero and negative invoices at once (a negative total becomes credit), and void gives credit back', async () => {
      const merchant = newMerchant();
      const customer = await fx.customer(merchant);
      await fx.db.query(`INSERT INTO customer_balances (customer_id, currency, balance) VALUES ($1, 'USD', -500)`, [customer.id]);

      const partly = await draft(merchant, customer.id, [2000]);
      await fx.tx((tx) => fx.get(InvoiceFinalization).finalize(tx, partly));
      const a = await invoiceOf(partly);
      expect([Number(a.total), Number(a.starting_balance), Number(a.amount_due), a.status]).toEqual([2000, -500, 1500, 'open']);
      expect(await balanceOf(customer.id)).toBe(0);
      expect((await fx.outboxOf(partly, 'invoice.payment_requested'))[0].data.amount).toBe(1500);

      const negative = await draft(merchant, customer.id, [1000, -1300]);
      await fx.tx((tx) => fx.get(InvoiceFinalization).finalize(tx, negative));
      const b = await invoiceOf(negative);
      expect([Number(b.total), Number(b.amount_due), b.status, b.payment_pending]).toEqual([-300, 0, 'paid', false]);
      expect(b.paid_at).not.toBeNull();
      expect((await fx.outboxOf(negative)).map((e) => e.type)).toEqual(['invoice.finalized', 'invoice.paid']);
      expect(await balanceOf(customer.id)).toBe(-300);

      const covered = await draft(merchant, customer.id, [1000]);
      await fx.tx((tx) => fx.get(InvoiceFinalization).finalize(tx, covered));
      expect(Number((await invoiceOf(covered)).amount_due)).toBe(700);
      expect(await balanceOf(customer.id)).toBe(0);
      // In flight: 409; once the attempt failed, void gives back the 300 of credit it used.
      expect((await fx.call('POST', `/invoices/${covered}/void`, merchant)).status).toBe(409);
      await fx.db.query(`UPDATE invoices SET payment_pending = false WHERE id = $1`, [covered]);
      const voided = await fx.call('POST', `/invoices/${covered}/void`, merchant);
      expect(voided.body).toMatchObject({ status: 'void', amount_due: 700 });
      expect(await balanceOf(customer.id)).toBe(-300);
      expect((await fx.outboxOf(covered, 'invoice.voided')).length).toBe(1);

      const price = await fx.price(merchant, 0);
      const free = await fx.subscribe(merchant, customer.id, price.id);
      subscriptions.push(free.id);
      const [zero] = await fx.invoicesOf(free.id);
      expect([zero.status, Number(zero.amount_due)]).toEqual(['paid', 0]);
      expect(await subscriptionStatus(free.id)).toBe('active');
      expect(await balanceOf(customer.id)).toBe(-300);
    });
  });

  describe('what is already invoiced, as the generator reads it', () => {
    it('a void invoice is neither billed again nor credited: canceling with proration after voiding credits nothing', async () => {
      const merchant = newMerchant();
      const price = await fx.price(merchant, 2000);
      const customer = await fx.customer(merchant);
      const sub = await fx.subscribe(merchant, customer.id, price.id);
      const [first] = await fx.invoicesOf(sub.id);
      await fx.db.query(`UPDATE invoices SET payment_pending = false WHERE id = $1`, [first.id]);
      expect((await fx.call('POST', `/invoices/${first.id}/void`, merchant)).status).toBe(200);

      // The whole period is unused: were the voided line counted as billed, this would credit 2000.
      const canceled = await fx.call('POST', `/subscriptions/${sub.id}/cancel`, merchant, { prorate: true, invoice_now: true });
      expect(canceled.body).toMatchObject({ status: 'canceled' });
      const { rows } = await fx.db.query(`SELECT amount FROM invoice_lines WHERE subscription_id = $1 AND amount < 0`, [sub.id]);
      expect(rows).toEqual([]);
      expect(await balanceOf(customer.id)).toBe(0);
      expect((await fx.invoicesOf(sub.id)).map((invoice) => invoice.status)).toEqual(['void']);
    });

    it('a draft whose stored total disagrees with its lines parks the customer (total_mismatch) and bills nothing more', async () => {
      const merchant = newMerchant();
      const price = await fx.price(merchant, 2000);
      const customer = await fx.customer(merchant);
      const sub = await fx.subscribe(merchant, customer.id, price.id);
      // The renewal's draft, billed at the period's end (no one finalizes it: the clock stays).
      const boundary = new Date(sub.current_period_end);
      await fx.tx((tx) => fx.get(Invoicing).bill(tx, sub.id, boundary, { finalizeNow: false }));
      const draft = (await fx.invoicesOf(sub.id)).find((invoice) => invoice.status === 'draft');
      expect(draft).toBeDefined();
      await fx.db.query(`UPDATE invoices SET total = total + 1 WHERE id = $1`, [draft.id]);

      const billed = await fx.tx((tx) => fx.get(Invoicing).bill(tx, sub.id, boundary, { finalizeNow: true }));
      expect(billed).toEqual([]);
      const { rows } = await fx.db.query(`SELECT violation, detail FROM parked_customers WHERE customer_id = $1`, [customer.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0].violation).toContain('total_mismatch');
    });
  });

  describe('a capture the PSP reverses', () => {
    it('reopens the invoice it paid with the attempt failed (capture_reversed) and makes the subscription past_due; any other reversal changes nothing', async () => {
      const merchant = newMerchant();
      const price = await fx.price(merchant, 2000);
      const customer = await fx.customer(merchant);
      const sub = await fx.subscribe(merchant, customer.id, price.id);
      await captured(merchant, (await fx.invoicesOf(sub.id))[0]);
      const paid = (await fx.invoicesOf(sub.id))[0];
      expect(paid.status).toBe('paid');
      expect(await subscriptionStatus(sub.id)).toBe('active');

      const reversal = (intentId: string) =>
        fx.tx((tx) =>
          fx.get(PaymentAnswers).captureReversed(
            tx,
            intentsEvent('payment_intent.capture_reversed', merchant, intentId, {
              intent: invoiceIntent(merchant, paid.id, 2000, { id: intentId, status: 'failed', amount_received: 0 }),
              provider: 'adyen',
              amount_reversed: 2000,
              fee_bps: 290,
              fee_fixed: 30,
              code: 'capture_reversed',
            }),
          ),
        );
      await reversal('pi_0000000000000000000000aa');
      expect((await invoiceOf(paid.id)).status).toBe('paid');

      await reversal(paid.payment_intent_id);
      await reversal(paid.payment_intent_id);
      expect(await invoiceOf(paid.id)).toMatchObject({ status: 'open', amount_paid: '0', paid_at: null, payment_pending: false, last_failed_attempt: 1 });
      const failed = await fx.outboxOf(paid.id, 'invoice.payment_failed');
      expect(failed).toHaveLength(1);
      expect(failed[0].data).toMatchObject({ attempt: 1, payment_intent: paid.payment_intent_id, code: 'capture_reversed' });
      expect(await subscriptionStatus(sub.id)).toBe('past_due');
    });
  });

  describe('preview', () => {
    it('the upcoming invoice with proposed items equals the invoice the same change then produces', async () => {
      const merchant = newMerchant();
      const basic = await fx.price(merchant, 2000);
      const pro = await fx.price(merchant, 5000);
      const customer = await fx.customer(merchant);
      const sub = await fx.subscribe(merchant, customer.id, basic.id);
      subscriptions.push(sub.id);
      await captured(merchant, (await fx.invoicesOf(sub.id))[0]);

      fx.clock.advance(10 * DAY + 5 * HOUR);
      const prorationDate = Math.floor(fx.clock.now().getTime() / 1000);
      const plain = await fx.ok('GET', `/invoices/upcoming?subscription=${sub.id}`, merchant);
      expect(plain.lines.map((l: Json) => [l.type, l.price, l.amount])).toEqual([['subscription', basic.id, 2000]]);

      const query = `subscription=${sub.id}&subscription_items[0][price]=${pro.id}&subscription_items[0][quantity]=2&proration_date=${prorationDate}`;
      const preview = await fx.ok('GET', `/invoices/upcoming?${query}`, merchant);
      expect(preview).toMatchObject({ id: null, object: 'invoice', status: 'draft', number: null, subscription: sub.id });
      expect(preview.lines.length).toBeGreaterThanOrEqual(3);
      expect(await fx.countRows(`SELECT count(*) AS n FROM invoices WHERE subscription_id = $1`, [sub.id])).toBe(1);

      fx.clock.advance(HOUR); // the change is made later than the preview, with the preview's proration_date
      await fx.ok('POST', `/subscriptions/${sub.id}`, merchant, { items: [{ price: pro.id, quantity: 2 }], proration_date: prorationDate });
      fx.clock.set(new Date(preview.period_start));
      await fx.get(SchedulerPoller).pass();
      const all = await fx.invoicesOf(sub.id);
      const next = all.find((i) => new Date(i.period_start).toISOString() === preview.period_start);
      if (!next) throw new Error(JSON.stringify({ preview, all, work: (await fx.db.query(`SELECT * FROM scheduled_work WHERE subject_id = $1`, [sub.id])).rows }, null, 1));
      const real = await fx.ok('GET', `/invoices/${next.id}`, merchant);
      const shape = (invoice: Json) => ({ lines: invoice.lines, subtotal: invoice.subtotal, total: invoice.total, period_end: invoice.period_end });
      expect(shape(real)).toEqual(shape(preview));

      expect((await fx.call('GET', `/invoices/upcoming?subscription=${sub.id}&subscription_items[0][price]=price_nope`, merchant)).body.error)
        .toMatchObject({ param: 'subscription_items[0][price]' });
      expect((await fx.call('GET', `/invoices/upcoming?subscription=sub_nope`, merchant)).status).toBe(404);
    });
  });

  describe('scheduler', () => {
    it('runs due rows once, records a failure with backoff without blocking the rows behind it, and runs a clock only by runDue', async () => {
      const work = fx.get(ScheduledWork);
      const kind = `test.${randomBytes(4).toString('hex')}`;
      const runs: string[] = [];
      let failing = true;
      work.register(kind, async (_tx, row, now) => {
        if (row.subject_id === 'flaky' && failing) throw new Error('not yet');
        runs.push(`${row.subject_id}@${now.toISOString()}`);
      });
      const now = fx.clock.now();
      await fx.tx(async (tx) => {
        for (const subject of ['flaky', 'steady']) await work.schedule(tx, { kind, subject_id: subject, test_clock_id: null, due_at: now });
        await work.schedule(tx, { kind, subject_id: 'steady', test_clock_id: null, due_at: now }); // idempotent
        await work.schedule(tx, { kind, subject_id: 'later', test_clock_id: null, due_at: new Date(now.getTime() + HOUR) });
        await work.schedule(tx, { kind, subject_id: 'on-clock', test_clock_id: 'clock_x', due_at: now });
      });
      await fx.get(SchedulerPoller).pass();
      expect(runs).toEqual([`steady@${now.toISOString()}`]);
      const { rows } = await fx.db.query(`SELECT attempts, last_error, not_before FROM scheduled_work WHERE kind = $1 AND subject_id = 'flaky'`, [kind]);
      expect(rows[0]).toMatchObject({ attempts: 1, last_error: 'not yet' });
      expect(new Date(rows[0].not_before).getTime()).toBeGreaterThan(now.getTime());

      failing = false;
      await fx.get(SchedulerPoller).pass();
      expect(runs).toHaveLength(1); // backing off
      fx.clock.advance(2 * HOUR);
      await fx.get(SchedulerPoller).pass();
      expect(runs.slice(1).sort()).toEqual([`flaky@${fx.clock.now().toISOString()}`, `later@${fx.clock.now().toISOString()}`].sort());
      expect(await work.runDue('clock_x', now)).toEqual({ done: 1, failed: 0 });
      expect(runs).toContain(`on-clock@${now.toISOString()}`);
      expect(await work.runDue('clock_x', now)).toEqual({ done: 0, failed: 0 });
      await fx.get(SchedulerPoller).pass();
      expect(runs).toHaveLength(4);
    });
  });

  describe('determinism', () => {
    it('regenerating every invoice from the streams, with nothing invoiced, gives byte-identical canonical lines', async () => {
      expect(subscriptions.length).toBeGreaterThanOrEqual(3);
      for (const id of subscriptions) {
        const now = fx.clock.now();
        // Up to date first (billing again writes nothing new), then regenerate from scratch.
        await fx.tx((tx) => fx.get(Invoicing).bill(tx, id, now, { finalizeNow: false }));
        const stored = (await fx.get(InvoicesRepository).invoicedHistory(fx.db, id)).invoiced;
        const { events } = (await fx.get(SubscriptionStreams).load(fx.db, id))!;
        const upTo = Math.max(...stored.map((line) => invoiceKeyTime(line.invoice_key)));
        const regenerated = generateInvoiceLines(events, upTo, []);
        expect(regenerated.violations).toEqual([]);
        expect(linesHash(regenerated.lines)).toBe(linesHash(stored));
      }
    });
  });
});
