import { Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { DunningFinalAction, EventDataOf, TOPICS } from '@payflow/contracts';
import { createKafka } from '@payflow/platform/messaging';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import { dunningEventsTotal } from '../src/collections/collections-metrics';
import { DunningDecisions } from '../src/collections/dunning-decisions';
import { FinalActions } from '../src/collections/final-actions';
import { RetryRequests } from '../src/collections/retry-requests';
import { UnusablePaymentMethods } from '../src/collections/unusable-payment-methods';
import { PaymentAnswers } from '../src/payments/payment-answers.service';
import { SchedulerPoller } from '../src/scheduler/scheduler.poller';
import { counterValue, dunningEvent } from './dunning-fixture';
import { InvoicesFixture, Json, intentsEvent, invoiceIntent, newMerchant } from './invoices-fixture';

const HOUR = 3_600_000;
const LOST_CARD = 'pm_card_chargeDeclinedLostCard';

/** A subscription whose first invoice was paid and whose first renewal's attempt 1 was declined. */
interface FailedRenewal {
  merchant: string;
  customer: string;
  sub: Json;
  renewal: Json;
}

/**
 * Billing's side of dunning at handler level (real Postgres, the service in-process with a test
 * platform clock): dunning's events are built, checked against their contract and handed to the
 * handlers as the inbox transport does, in a transaction of their own; one goes through Kafka.
 */
describe('billing: dunning events (retries, unusable cards, final actions, decisions) and billing_reason', () => {
  const fx = new InvoicesFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  const invoiceOf = async (id: string): Promise<Json> => (await fx.db.query(`SELECT * FROM invoices WHERE id = $1`, [id])).rows[0];
  const subscriptionStatus = async (id: string): Promise<string> =>
    (await fx.db.query(`SELECT status FROM subscriptions WHERE id = $1`, [id])).rows[0].status;
  const requestedAttempts = async (invoice: string): Promise<number[]> =>
    (await fx.outboxOf(invoice, 'invoice.payment_requested')).map((e) => e.data.attempt);
  const counted = (type: string, outcome: string) => counterValue(dunningEventsTotal, { type, outcome });
  const clockTime = () => fx.clock.now().toISOString();

  /** Runs what the wall-clock scheduler has due. */
  async function runDueWork(): Promise<void> {
    for (let i = 0; i < 3; i++) await fx.get(SchedulerPoller).pass();
  }

  /** Moves the platform clock to a period boundary (the renewal's draft) and one draft window on (its finalization). */
  async function renewAt(boundary: Date | string): Promise<void> {
    fx.clock.set(new Date(boundary));
    await runDueWork();
    fx.clock.set(new Date(new Date(boundary).getTime() + HOUR));
    await runDueWork();
  }

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

  /** Intents' answer that the attempt in flight was declined. */
  const declined = (merchant: string, invoice: Json, declineCode = 'insufficient_funds', paymentMethod = 'pm_card_visa') =>
    fx.tx((tx) =>
      fx.get(PaymentAnswers).failed(
        tx,
        intentsEvent('payment_intent.authorization_failed', merchant, 'pi_y', {
          intent: invoiceIntent(merchant, invoice.id, Number(invoice.amount_due), {
            status: 'failed',
            amount_received: 0,
            payment_method: paymentMethod,
            last_error: { type: 'card_error', code: 'card_declined', decline_code: declineCode, message: 'declined' },
          }),
          provider: 'stripe',
          code: 'card_declined',
          decline_code: declineCode,
          network: 'visa',
        }),
      ),
    );

  /**
   * Subscriptions (one merchant each, a card each) created now, their first invoices paid, renewed
   * at their boundary and finalized an hour later; each renewal's attempt 1 declined. Moves the
   * platform clock one period on.
   */
  async function failedRenewals(cards: string[]): Promise<FailedRenewal[]> {
    const made = [];
    for (const card of cards) {
      const merchant = newMerchant();
      const price = await fx.price(merchant, 2000);
      const customer = await fx.customer(merchant, card);
      const sub = await fx.subscribe(merchant, customer.id, price.id);
      await captured(merchant, (await fx.invoicesOf(sub.id))[0]);
      made.push({ merchant, customer: customer.id, sub, card });
    }
    await renewAt(made[0].sub.current_period_end);
    const failed: FailedRenewal[] = [];
    for (const { merchant, customer, sub, card } of made) {
      const renewal = (await fx.invoicesOf(sub.id))[1];
      expect(renewal).toMatchObject({ status: 'open', attempt_count: 1, payment_pending: true });
      await declined(merchant, renewal, card === LOST_CARD ? 'lost_card' : 'insufficient_funds', card);
      expect(await subscriptionStatus(sub.id)).toBe('past_due');
      failed.push({ merchant, customer, sub, renewal: await invoiceOf(renewal.id) });
    }
    return failed;
  }

  const caseOf = (c: FailedRenewal) => ({
    invoice: c.renewal.id,
    subscription: c.sub.id,
    customer: c.customer,
    test_clock: null,
    clock_time: clockTime(),
  });
  const retryDue = (c: FailedRenewal, attempt: number) =>
    fx.tx((tx) =>
      fx.get(RetryRequests).retryDue(tx, dunningEvent('dunning.retry_due', c.merchant, c.sub.id, { ...caseOf(c), attempt, reason: 'schedule_day_1' })),
    );
  const exhausted = (c: FailedRenewal, finalAction: DunningFinalAction, markUncollectible: boolean) =>
    fx.tx((tx) =>
      fx.get(FinalActions).exhausted(
        tx,
        dunningEvent('dunning.exhausted', c.merchant, c.sub.id, {
          ...caseOf(c),
          final_action: finalAction,
          mark_uncollectible: markUncollectible,
          reason: 'schedule_exhausted',
        }),
      ),
    );
  const unusable = (merchant: string, customer: string, paymentMethod: string, invoice: string) =>
    fx.tx((tx) =>
      fx.get(UnusablePaymentMethods).remember(
        tx,
        dunningEvent('payment_method.unusable', merchant, customer, {
          customer,
          payment_method: paymentMethod,
          invoice,
          reason: 'hard_decline:lost_card',
          test_clock: null,
          clock_time: clockTime(),
        }),
      ),
    );
  const decided = (c: FailedRenewal, data: Partial<EventDataOf<'dunning.decided'>>) =>
    fx.tx((tx) =>
      fx.get(DunningDecisions).decided(
        tx,
        dunningEvent('dunning.decided', c.merchant, c.sub.id, {
          ...caseOf(c),
          attempt: 1,
          decision: 'retry_scheduled',
          due_at: null,
          reason: 'schedule_day_1',
          classification: 'soft',
          ...data,
        }),
      ),
    );

  describe('billing_reason', () => {
    it('subscription_create for the first invoice, subscription_cycle for renewals and after a trial, subscription_update for a change billed at once, manual without subscription', async () => {
      const merchant = newMerchant();
      const price = await fx.price(merchant, 2000);
      const pro = await fx.price(merchant, 5000);
      const customer = await fx.customer(merchant);
      const sub = await fx.subscribe(merchant, customer.id, price.id);
      const trial = await fx.ok('POST', '/subscriptions', merchant, { customer: customer.id, items: [{ price: price.id }], trial_period_days: 3 });
      const [first] = await fx.invoicesOf(sub.id);
      expect((await fx.outboxOf(first.id)).map((e) => [e.type, e.data.billing_reason])).toEqual([
        ['invoice.finalized', 'subscription_create'],
        ['invoice.payment_requested', 'subscription_create'],
      ]);
      await captured(merchant, first);
      expect((await fx.outboxOf(first.id, 'invoice.paid'))[0].data.billing_reason).toBe('subscription_create');

      await renewAt(trial.trial_end); // the trial's end, then its draft window
      const [afterTrial] = await fx.invoicesOf(trial.id);
      expect(afterTrial).toMatchObject({ billing_reason: 'subscription_cycle', status: 'open' });
      expect((await fx.outboxOf(afterTrial.id, 'invoice.finalized'))[0].data.billing_reason).toBe('subscription_cycle');

      await fx.ok('POST', `/subscriptions/${sub.id}`, merchant, { items: [{ price: pro.id }], proration_behavior: 'always_invoice' });
      const update = (await fx.invoicesOf(sub.id)).find((invoice) => invoice.invoice_key.startsWith('now:'));
      expect(update.billing_reason).toBe('subscription_update');
      expect((await fx.outboxOf(update.id)).map((e) => e.data.billing_reason)).toEqual(['subscription_update', 'subscription_update']);

      await renewAt(sub.current_period_end);
      const renewal = (await fx.invoicesOf(sub.id)).find((invoice) => invoice.invoice_key === `b:${Date.parse(sub.current_period_end) / 1000}`);
      expect(renewal.billing_reason).toBe('subscription_cycle');
      expect((await fx.outboxOf(renewal.id)).map((e) => e.data.billing_reason)).toEqual(['subscription_cycle', 'subscription_cycle']);

      // An invoice without a subscription (written directly: billing has no API for one yet) is manual.
      const manual = `in_${randomBytes(12).toString('hex')}`;
      await fx.db.query(
        `INSERT INTO invoices (id, merchant_id, customer_id, invoice_key, status, currency, period_start, period_end, created_at)
         VALUES ($1, $2, $3, $4, 'draft', 'USD', now(), now(), now())`,
        [manual, merchant, customer.id, `manual:${manual}`],
      );
      expect((await invoiceOf(manual)).billing_reason).toBe('manual');
      // Like the invoice's other identity columns, it never changes.
      await expect(fx.db.query(`UPDATE invoices SET billing_reason = 'subscription_cycle' WHERE id = $1`, [first.id])).rejects.toThrow(
        /billing_reason never changes/,
      );
    });
  });

  describe('dunning.retry_due', () => {
    it('requests attempt n+1 once; a future, duplicate, stale or first-invoice retry, or one for an invoice no longer open, is dropped and counted', async () => {
      const [c] = await failedRenewals(['pm_card_visa']);
      const before = {
        requested: await counted('dunning.retry_due', 'requested'),
        inFlight: await counted('dunning.retry_due', 'in_flight'),
        stale: await counted('dunning.retry_due', 'stale_attempt'),
        notOpen: await counted('dunning.retry_due', 'not_open'),
        first: await counted('dunning.retry_due', 'first_invoice'),
      };

      await retryDue(c, 3); // attempt 2 was never requested: not the next one
      expect(await requestedAttempts(c.renewal.id)).toEqual([1]);
      await retryDue(c, 2);
      expect(await invoiceOf(c.renewal.id)).toMatchObject({ attempt_count: 2, payment_pending: true, next_payment_attempt: null });
      const requested = await fx.outboxOf(c.renewal.id, 'invoice.payment_requested');
      expect(requested.map((e) => e.data.attempt)).toEqual([1, 2]);
      expect(requested[1]).toMatchObject({ causation_id: expect.any(String), correlation_id: 'corr_dunning_test' });
      expect(requested[1].data).toMatchObject({ payment_method: 'pm_card_visa', amount: 2000, billing_reason: 'subscription_cycle' });

      await retryDue(c, 2); // the same retry again while attempt 2 is in flight
      await declined(c.merchant, await invoiceOf(c.renewal.id));
      await retryDue(c, 2); // attempt 2 has failed: a late copy asks for nothing
      expect(await requestedAttempts(c.renewal.id)).toEqual([1, 2]);

      // A subscription's first invoice never goes to dunning, even open after a decline.
      const price = await fx.price(c.merchant, 1500);
      const fresh = await fx.subscribe(c.merchant, c.customer, price.id);
      const [first] = await fx.invoicesOf(fresh.id);
      await declined(c.merchant, first);
      await fx.tx((tx) =>
        fx.get(RetryRequests).retryDue(
          tx,
          dunningEvent('dunning.retry_due', c.merchant, fresh.id, { ...caseOf(c), subscription: fresh.id, invoice: first.id, attempt: 2, reason: 'x' }),
        ),
      );
      expect(await requestedAttempts(first.id)).toEqual([1]);

      await captured(c.merchant, await invoiceOf(c.renewal.id));
      await retryDue(c, 3); // paid meanwhile: nothing to collect
      expect(await requestedAttempts(c.renewal.id)).toEqual([1, 2]);
      expect(await subscriptionStatus(c.sub.id)).toBe('active');

      // Another merchant's invoice is unknown: nothing happens.
      await fx.tx((tx) =>
        fx.get(RetryRequests).retryDue(tx, dunningEvent('dunning.retry_due', newMerchant(), c.sub.id, { ...caseOf(c), attempt: 3, reason: 'x' })),
      );
      expect(await requestedAttempts(c.renewal.id)).toEqual([1, 2]);

      expect(await counted('dunning.retry_due', 'requested')).toBe(before.requested + 1);
      expect(await counted('dunning.retry_due', 'in_flight')).toBe(before.inFlight + 1);
      expect(await counted('dunning.retry_due', 'stale_attempt')).toBe(before.stale + 2);
      expect(await counted('dunning.retry_due', 'not_open')).toBe(before.notOpen + 1);
      expect(await counted('dunning.retry_due', 'first_invoice')).toBe(before.first + 1);
    });

    it('POST /pay keeps its 409 while an attempt dunning requested is in flight', async () => {
      const [c] = await failedRenewals(['pm_card_visa']);
      await retryDue(c, 2);
      const answer = await fx.call('POST', `/invoices/${c.renewal.id}/pay`, c.merchant);
      expect(answer).toMatchObject({ status: 409, body: { error: { code: 'invoice_payment_in_flight' } } });
      expect(await requestedAttempts(c.renewal.id)).toEqual([1, 2]);
    });
  });

  describe('payment_method.unusable', () => {
    it('no payment is asked on the card any more: retries and the next renewal fail at once (payment_method_unusable), pay answers 400, a new card is tried, the old one stays unusable', async () => {
      const [c] = await failedRenewals([LOST_CARD]);
      await unusable(c.merchant, c.customer, LOST_CARD, c.renewal.id);
      const duplicates = await counted('payment_method.unusable', 'duplicate');
      await unusable(c.merchant, c.customer, LOST_CARD, c.renewal.id);
      expect(await counted('payment_method.unusable', 'duplicate')).toBe(duplicates + 1);
      const { rows } = await fx.db.query(`SELECT * FROM unusable_payment_methods WHERE customer_id = $1`, [c.customer]);
      expect(rows).toEqual([
        expect.objectContaining({ payment_method: LOST_CARD, merchant_id: c.merchant, invoice_id: c.renewal.id, reason: 'hard_decline:lost_card' }),
      ]);

      // A retry on it (e.g. after a soft decline of the same card elsewhere) asks for nothing.
      await retryDue(c, 2);
      expect(await requestedAttempts(c.renewal.id)).toEqual([1]);
      const failures = await fx.outboxOf(c.renewal.id, 'invoice.payment_failed');
      expect(failures.map((e) => [e.data.attempt, e.data.code, e.data.payment_intent, e.data.payment_method])).toEqual([
        [1, 'card_declined', expect.stringMatching(/^pi_/), LOST_CARD],
        [2, 'payment_method_unusable', null, LOST_CARD],
      ]);
      expect(await invoiceOf(c.renewal.id)).toMatchObject({ status: 'open', attempt_count: 2, last_failed_attempt: 2, payment_pending: false });

      // The next renewal (finalized by the scheduler's batch) goes straight into a case waiting for a card.
      await renewAt(c.renewal.period_end);
      const next = (await fx.invoicesOf(c.sub.id))[2];
      expect(next).toMatchObject({ status: 'open', attempt_count: 1, last_failed_attempt: 1, payment_pending: false, billing_reason: 'subscription_cycle' });
      expect(await requestedAttempts(next.id)).toEqual([]);
      expect((await fx.outboxOf(next.id)).map((e) => [e.type, e.data.code ?? null])).toEqual([
        ['invoice.finalized', null],
        ['invoice.payment_failed', 'payment_method_unusable'],
      ]);
      expect(await subscriptionStatus(c.sub.id)).toBe('past_due');

      // The merchant's "try now" on that card: 400, nothing written.
      const events = await fx.outboxOf(next.id);
      const pay = await fx.call('POST', `/invoices/${next.id}/pay`, c.merchant);
      expect(pay).toMatchObject({ status: 400, body: { error: { code: 'payment_method_unusable' } } });
      expect(await fx.outboxOf(next.id)).toHaveLength(events.length);

      // A new card is usable: dunning's retry asks for a payment on it.
      await fx.ok('POST', `/customers/${c.customer}`, c.merchant, { payment_method: 'pm_card_visa' });
      await retryDue(c, 3);
      const requested = await fx.outboxOf(c.renewal.id, 'invoice.payment_requested');
      expect(requested.map((e) => [e.data.attempt, e.data.payment_method])).toEqual([
        [1, LOST_CARD],
        [3, 'pm_card_visa'],
      ]);

      // The lost card given again is still unusable.
      await fx.ok('POST', `/customers/${c.customer}`, c.merchant, { payment_method: LOST_CARD });
      expect((await fx.call('POST', `/invoices/${next.id}/pay`, c.merchant)).body.error.code).toBe('payment_method_unusable');
    });

    it("is remembered from Kafka through the inbox, and another merchant's customer is not", async () => {
      const merchant = newMerchant();
      const customer = await fx.customer(merchant, 'pm_card_visa_chargeDeclinedStolenCard');
      const unknownBefore = await counted('payment_method.unusable', 'unknown_customer');
      await unusable(newMerchant(), customer.id, 'pm_card_visa_chargeDeclinedStolenCard', 'in_000000000000000000000000');
      expect(await counted('payment_method.unusable', 'unknown_customer')).toBe(unknownBefore + 1);
      expect(await fx.countRows(`SELECT count(*) AS n FROM unusable_payment_methods WHERE customer_id = $1`, [customer.id])).toBe(0);

      const producer: Producer = createKafka('billing-dunning-test', kafkaBrokers()).producer();
      await producer.connect();
      try {
        const event = dunningEvent('payment_method.unusable', merchant, customer.id, {
          customer: customer.id,
          payment_method: 'pm_card_visa_chargeDeclinedStolenCard',
          invoice: 'in_000000000000000000000000',
          reason: 'hard_decline:stolen_card',
          test_clock: null,
          clock_time: clockTime(),
        });
        await producer.send({
          topic: wireTopic(TOPICS.dunning),
          messages: [{ key: customer.id, value: JSON.stringify(event), headers: { 'event-id': event.id, 'event-type': event.type } }],
        });
      } finally {
        await producer.disconnect();
      }
      await waitFor(
        async () => (await fx.countRows(`SELECT count(*) AS n FROM unusable_payment_methods WHERE customer_id = $1`, [customer.id])) === 1,
        { what: 'the unusable card remembered from Kafka', timeoutMs: 60_000 },
      );
    });
  });

  describe('dunning.exhausted', () => {
    let cases: FailedRenewal[];
    beforeAll(async () => {
      cases = await failedRenewals(['pm_card_visa', 'pm_card_visa', 'pm_card_visa', 'pm_card_visa', 'pm_card_visa']);
    });

    it('cancel with mark_uncollectible: the subscription canceled through its stream, the invoice uncollectible; a late copy does nothing', async () => {
      const c = cases[0];
      await exhausted(c, 'cancel', true);
      expect(await subscriptionStatus(c.sub.id)).toBe('canceled');
      const canceled = await fx.outboxOf(c.sub.id, 'subscription.canceled');
      expect(canceled).toHaveLength(1);
      expect(canceled[0].data.subscription).toMatchObject({ status: 'canceled' });
      expect(await invoiceOf(c.renewal.id)).toMatchObject({ status: 'uncollectible', next_payment_attempt: null });
      const marked = await fx.outboxOf(c.renewal.id, 'invoice.marked_uncollectible');
      expect(marked.map((e) => e.data.billing_reason)).toEqual(['subscription_cycle']);

      const late = await counted('dunning.exhausted', 'not_open');
      await exhausted(c, 'cancel', true);
      expect(await counted('dunning.exhausted', 'not_open')).toBe(late + 1);
      expect(await fx.outboxOf(c.sub.id, 'subscription.canceled')).toHaveLength(1);
      expect(await fx.outboxOf(c.renewal.id, 'invoice.marked_uncollectible')).toHaveLength(1);
    });

    it('mark_unpaid: the subscription unpaid (status_changed, dunning_exhausted), the invoice open; paying it makes the subscription active', async () => {
      const c = cases[1];
      await exhausted(c, 'mark_unpaid', false);
      expect(await subscriptionStatus(c.sub.id)).toBe('unpaid');
      const changes = await fx.outboxOf(c.sub.id, 'subscription.status_changed');
      expect(changes.map((e) => [e.data.previous_status, e.data.subscription.status, e.data.reason])).toContainEqual([
        'past_due',
        'unpaid',
        'dunning_exhausted',
      ]);
      expect((await invoiceOf(c.renewal.id)).status).toBe('open');
      await captured(c.merchant, await invoiceOf(c.renewal.id));
      expect(await subscriptionStatus(c.sub.id)).toBe('active');
    });

    it('leave_past_due: nothing changes and nothing is published', async () => {
      const c = cases[2];
      const subscriptionEvents = (await fx.outboxOf(c.sub.id)).length;
      const invoiceEvents = (await fx.outboxOf(c.renewal.id)).length;
      await exhausted(c, 'leave_past_due', false);
      expect(await subscriptionStatus(c.sub.id)).toBe('past_due');
      expect((await invoiceOf(c.renewal.id)).status).toBe('open');
      expect(await fx.outboxOf(c.sub.id)).toHaveLength(subscriptionEvents);
      expect(await fx.outboxOf(c.renewal.id)).toHaveLength(invoiceEvents);
    });

    it('mark_uncollectible alone (leave_past_due) marks the invoice; while a payment is in flight the invoice stays open and the final action still applies', async () => {
      const [alone, inFlight] = [cases[3], cases[4]];
      await exhausted(alone, 'leave_past_due', true);
      expect((await invoiceOf(alone.renewal.id)).status).toBe('uncollectible');
      expect(await subscriptionStatus(alone.sub.id)).toBe('past_due');

      await retryDue(inFlight, 2);
      await exhausted(inFlight, 'mark_unpaid', true);
      expect(await invoiceOf(inFlight.renewal.id)).toMatchObject({ status: 'open', payment_pending: true });
      expect(await fx.outboxOf(inFlight.renewal.id, 'invoice.marked_uncollectible')).toHaveLength(0);
      expect(await subscriptionStatus(inFlight.sub.id)).toBe('unpaid');
    });
  });

  describe('dunning.decided', () => {
    it("is kept per (invoice, attempt), the latest replacing the earlier, and sets the invoice's next_payment_attempt while it is its current attempt", async () => {
      const [c] = await failedRenewals(['pm_card_visa']);
      const due = new Date(fx.clock.now().getTime() + 24 * HOUR).toISOString();
      await decided(c, { due_at: due });
      expect(new Date((await invoiceOf(c.renewal.id)).next_payment_attempt).toISOString()).toBe(due);
      expect((await fx.ok('GET', `/invoices/${c.renewal.id}`, c.merchant)).next_payment_attempt).toBe(due);

      await decided(c, { decision: 'wait_for_payment_method', due_at: due, reason: 'hard_decline:lost_card', classification: 'hard' });
      expect((await invoiceOf(c.renewal.id)).next_payment_attempt).toBeNull();
      const { rows } = await fx.db.query(`SELECT attempt, decision, reason, test_clock_id FROM dunning_decisions WHERE invoice_id = $1`, [c.renewal.id]);
      expect(rows).toEqual([{ attempt: 1, decision: 'wait_for_payment_method', reason: 'hard_decline:lost_card', test_clock_id: null }]);

      // A decision on an attempt that is no longer the invoice's current one does not touch it.
      await retryDue(c, 2);
      await decided(c, { due_at: due });
      expect((await invoiceOf(c.renewal.id)).next_payment_attempt).toBeNull();
    });
  });
});
