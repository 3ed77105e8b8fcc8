import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { PaymentAnswers } from '../src/payments/payment-answers.service';
import { ScheduledWork } from '../src/scheduler/scheduled-work';
import { SchedulerPoller } from '../src/scheduler/scheduler.poller';
import { WORK_KINDS } from '../src/scheduler/work-kinds';
import { InvoicesFixture, Json, intentsEvent, invoiceIntent, newMerchant } from './invoices-fixture';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const iso = (value: Date | string) => new Date(value).toISOString();

/**
 * The batch forms of `subscription.renew` and `invoice.finalize` (docs/billing.md "Benchmark"): the
 * rows of one instant run together, with the effects of running them one by one; a batch that
 * cannot take the plain path is finalized row by row; a batch that fails is run row by row, so only
 * the failing row backs off.
 */
describe('billing: scheduled work run in batches', () => {
  const fx = new InvoicesFixture();
  let db: Pool;

  beforeAll(async () => {
    await fx.start();
    db = fx.db;
  });
  afterAll(() => fx.stop());

  /** A subscription whose first invoice is paid (so it is active when it renews). */
  async function activeSubscription(merchant: string, price: string, quantity = 1): Promise<Json> {
    const sub = await fx.subscribe(merchant, (await fx.customer(merchant)).id, price, quantity);
    const [first] = await fx.invoicesOf(sub.id);
    await fx.tx((tx) =>
      fx.get(PaymentAnswers).captured(
        tx,
        intentsEvent('payment_intent.captured', merchant, 'pi_x', {
          intent: invoiceIntent(merchant, first.id, Number(first.amount_due)),
          provider: 'stripe',
          amount_captured: Number(first.amount_due),
          fee_bps: 290,
          fee_fixed: 30,
        }),
      ),
    );
    return sub;
  }

  const renewalOf = async (subscription: string): Promise<Json> => (await fx.invoicesOf(subscription))[1];

  it('renews and finalizes the subscriptions of an instant together, numbers in order, answers row by row where it must', async () => {
    const plain = newMerchant();
    const mixed = newMerchant();
    const plainPrice = await fx.price(plain, 1_000);
    const mixedPrice = await fx.price(mixed, 2_500);
    const plainSubs: Json[] = [];
    for (let i = 0; i < 5; i++) {
      plainSubs.push(await activeSubscription(plain, plainPrice.id, i + 1));
    }
    // Another instant (a minute later): its rows are another batch.
    fx.clock.advance(MINUTE);
    const mixedSubs: Json[] = [];
    for (let i = 0; i < 3; i++) {
      mixedSubs.push(await activeSubscription(mixed, mixedPrice.id));
    }
    const work = fx.get(ScheduledWork);
    const renewalAt = new Date(plainSubs[0].current_period_end);
    const missingId = `sub_${randomBytes(12).toString('hex')}`;
    // A renewal of a subscription that does not exist fails its batch: the others still renew.
    await fx.tx((tx) =>
      work.schedule(tx, {
        kind: WORK_KINDS.renew,
        subject_id: missingId,
        test_clock_id: null,
        due_at: renewalAt,
      }),
    );

    fx.clock.advance(31 * 24 * HOUR);
    await fx.get(SchedulerPoller).pass();
    const [missing] = (
      await db.query(`SELECT attempts, last_error, done_at FROM scheduled_work WHERE subject_id = $1`, [
        missingId,
      ])
    ).rows;
    expect(missing).toMatchObject({ attempts: 1, done_at: null });
    expect(missing.last_error).toMatch(/no stream/);
    for (const [i, sub] of plainSubs.entries()) {
      const renewal = await renewalOf(sub.id);
      expect(renewal).toMatchObject({
        status: 'draft',
        subtotal: String(1_000 * (i + 1)),
        invoice_key: `b:${renewalAt.getTime() / 1000}`,
      });
      // the wall poller bills at its time (a minute after this boundary): the window runs from then
      expect(iso(renewal.finalize_at)).toBe(iso(new Date(fx.clock.now().getTime() + HOUR)));
      const { rows } = await db.query(
        `SELECT object->>'latest_invoice' AS latest FROM subscriptions WHERE id = $1`,
        [sub.id],
      );
      expect(rows[0].latest).toBe(renewal.id);
      const next = await db.query(
        `SELECT due_at FROM scheduled_work WHERE kind = $1 AND subject_id = $2 AND done_at IS NULL`,
        [WORK_KINDS.renew, sub.id],
      );
      expect(next.rows).toHaveLength(1);
      expect(new Date(next.rows[0].due_at).getTime()).toBeGreaterThan(renewalAt.getTime());
    }

    // One customer of the mixed merchant has credit covering its renewal: paid at once, so that
    // batch takes the row-by-row path.
    const credited = mixedSubs[1];
    await db.query(
      `INSERT INTO customer_balances (customer_id, currency, balance) VALUES ($1, 'USD', -4000)
                    ON CONFLICT (customer_id, currency) DO UPDATE SET balance = -4000`,
      [credited.customer],
    );

    fx.clock.advance(2 * HOUR);
    await fx.get(SchedulerPoller).pass();
    const prefixOf = (number: string) => number.replace(/-\d+$/, '');
    const numbersOf = async (merchant: string) =>
      (
        await db.query(`SELECT number FROM invoices WHERE merchant_id = $1 ORDER BY number`, [merchant])
      ).rows.map((r) => r.number);
    const plainNumbers = await numbersOf(plain);
    expect(plainNumbers.map((n: string) => Number(/(\d+)$/.exec(n)![1]))).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
    for (const [i, sub] of plainSubs.entries()) {
      const renewal = await renewalOf(sub.id);
      // numbered in the order the renewals were due (their rows' order), after the first invoices
      expect(renewal).toMatchObject({
        status: 'open',
        number: `${prefixOf(plainNumbers[0])}-${String(6 + i).padStart(6, '0')}`,
        subtotal: String(1_000 * (i + 1)),
        total: String(1_000 * (i + 1)),
        amount_due: String(1_000 * (i + 1)),
        attempt_count: 1,
        payment_pending: true,
      });
      const [finalized, requested] = [
        ...(await fx.outboxOf(renewal.id, 'invoice.finalized')),
        ...(await fx.outboxOf(renewal.id, 'invoice.payment_requested')),
      ];
      expect(requested.aggregate_version).toBe(finalized.aggregate_version + 1);
      expect(renewal.version).toBe(requested.aggregate_version);
      expect(finalized).toMatchObject({
        data: { invoice: { status: 'open', attempt_count: 0, number: renewal.number } },
      });
      expect(requested).toMatchObject({
        data: {
          attempt: 1,
          amount: 1_000 * (i + 1),
          currency: 'USD',
          customer: sub.customer,
          off_session: true,
          payment_method: 'pm_card_visa',
          invoice: { status: 'open', attempt_count: 1, number: renewal.number, total: 1_000 * (i + 1) },
        },
      });
      expect(requested.data.invoice.lines).toHaveLength(1);
      expect(iso(finalized.data.clock_time)).toBe(iso(fx.clock.now()));
    }
    const mixedNumbers = await numbersOf(mixed);
    expect(mixedNumbers.map((n: string) => Number(/(\d+)$/.exec(n)![1]))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await renewalOf(credited.id)).toMatchObject({
      status: 'paid',
      amount_due: '0',
      starting_balance: '-4000',
    });
    const { rows: balance } = await db.query(`SELECT balance FROM customer_balances WHERE customer_id = $1`, [
      credited.customer,
    ]);
    expect(Number(balance[0].balance)).toBe(-1_500);
    for (const sub of [mixedSubs[0], mixedSubs[2]]) {
      expect(await renewalOf(sub.id)).toMatchObject({
        status: 'open',
        payment_pending: true,
        amount_due: '2500',
      });
    }
    // Nothing of these subscriptions left to do at this instant.
    const subscriptionIds = [...plainSubs, ...mixedSubs].map((sub) => sub.id);
    const subjects = [...subscriptionIds];
    for (const id of subscriptionIds) subjects.push((await renewalOf(id)).id);
    expect(
      await fx.countRows(
        `SELECT count(*) AS n FROM scheduled_work WHERE done_at IS NULL AND due_at <= $1 AND subject_id = ANY($2)`,
        [fx.clock.now(), subjects],
      ),
    ).toBe(0);
  });
});
