import { DAY_MS, DunningFixture, type InvoiceRef, billing, merchantDecline, newInvoiceRef, nextInvoiceOf } from './dunning-fixture';

const HOUR_MS = 3_600_000;
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms);
const iso = (at: Date) => at.toISOString();

/**
 * A case's life, handler by handler on the wall clock (a TestClock the test moves): soft declines
 * follow the schedule through the scheduler, hard declines mark the card and wait for a new one,
 * a new card is tried at once, a payment or a void ends the case whatever the order of events,
 * several invoices of one subscription escalate from the earliest, budgets count others'
 * authorizations, replays change nothing.
 */
describe('dunning: cases', () => {
  const fx = new DunningFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  /** Each test starts a day after the last one's latest time, on a clean slate of its own ids. */
  function begin(): Date {
    fx.clock.advance(60 * DAY_MS);
    return fx.clock.now();
  }

  async function open(ref: InvoiceRef, at: Date): Promise<void> {
    await fx.deliver(billing.finalized(ref, at));
  }

  const retryDues = (ref: InvoiceRef) => fx.outbox({ invoice: ref.invoice, type: 'dunning.retry_due' });
  const decisions = (ref: InvoiceRef) => fx.outbox({ invoice: ref.invoice, type: 'dunning.decided' });

  it('a soft decline is retried on the schedule day by the scheduler, once, keyed by the subscription', async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    await open(ref, t0);
    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, decline_code: 'insufficient_funds' }));

    const [decided] = await decisions(ref);
    expect(decided).toMatchObject({
      key: ref.subscription,
      data: { attempt: 1, decision: 'retry_scheduled', due_at: iso(plus(t0, DAY_MS)), reason: 'schedule_day_1', classification: 'soft' },
    });
    fx.clock.set(plus(t0, DAY_MS - 1_000));
    await fx.schedulerPass();
    expect(await retryDues(ref)).toEqual([]);

    fx.clock.set(plus(t0, DAY_MS));
    await fx.schedulerPass();
    await fx.schedulerPass();
    const dues = await retryDues(ref);
    expect(dues).toHaveLength(1);
    expect(dues[0]).toMatchObject({
      key: ref.subscription,
      data: { invoice: ref.invoice, customer: ref.customer, subscription: ref.subscription, attempt: 2, reason: 'schedule_day_1', test_clock: null },
    });

    // Attempt 2 fails too: the next schedule day (day 3 from the first failure).
    await fx.deliver(billing.failed(ref, { attempt: 2, at: plus(t0, DAY_MS) }));
    expect((await decisions(ref)).map((e) => [e.data.attempt, e.data.due_at, e.data.reason])).toEqual([
      [1, iso(plus(t0, DAY_MS)), 'schedule_day_1'],
      [2, iso(plus(t0, 3 * DAY_MS)), 'schedule_day_3'],
    ]);
  });

  it('a hard decline marks the card unusable and waits; a new card is tried once, at once', async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    await open(ref, t0);
    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, decline_code: 'lost_card', payment_method: 'pm_card_chargeDeclinedLostCard' }));

    expect(await fx.story(ref.invoice)).toEqual(['payment_method.unusable', 'dunning.decided #1 wait_for_payment_method']);
    const [unusable] = await fx.outbox({ invoice: ref.invoice, type: 'payment_method.unusable' });
    expect(unusable).toMatchObject({
      key: ref.subscription,
      data: { customer: ref.customer, payment_method: 'pm_card_chargeDeclinedLostCard', invoice: ref.invoice },
    });
    expect((await decisions(ref))[0].data).toMatchObject({ due_at: iso(plus(t0, 14 * DAY_MS)), classification: 'hard' });

    fx.clock.set(plus(t0, 10 * DAY_MS));
    await fx.schedulerPass();
    expect(await retryDues(ref)).toEqual([]);

    await fx.deliver(billing.cardChanged(ref, 'pm_card_visa', fx.clock.now(), 'pm_card_chargeDeclinedLostCard'));
    const dues = await retryDues(ref);
    expect(dues.map((e) => [e.data.attempt, e.data.reason])).toEqual([[2, 'new_payment_method']]);
    expect((await decisions(ref)).at(-1)?.data).toMatchObject({ attempt: 1, decision: 'retry_scheduled', due_at: iso(fx.clock.now()) });

    // Another change while attempt 2 is with billing: its outcome will be decided knowing this card.
    await fx.deliver(billing.cardChanged(ref, 'pm_card_mastercard', fx.clock.now(), 'pm_card_visa'));
    expect(await retryDues(ref)).toHaveLength(1);
  });

  it("a case still waiting for a card on the schedule's last day is exhausted with the merchant's final action", async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    const settings = await fx.call('POST', '/dunning_settings', {
      merchant: ref.merchant,
      body: { retry_schedule_days: [2, 4], final_action: 'mark_unpaid', mark_uncollectible: true },
    });
    expect(settings.status).toBe(200);
    await open(ref, t0);
    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, decline_code: 'stolen_card' }));
    expect((await decisions(ref))[0].data).toMatchObject({ decision: 'wait_for_payment_method', due_at: iso(plus(t0, 4 * DAY_MS)) });

    fx.clock.set(plus(t0, 4 * DAY_MS - 1_000));
    await fx.schedulerPass();
    expect(await fx.outbox({ invoice: ref.invoice, type: 'dunning.exhausted' })).toEqual([]);
    fx.clock.set(plus(t0, 4 * DAY_MS));
    await fx.schedulerPass();
    const exhausted = await fx.outbox({ invoice: ref.invoice, type: 'dunning.exhausted' });
    expect(exhausted).toHaveLength(1);
    expect(exhausted[0]).toMatchObject({
      key: ref.subscription,
      data: { final_action: 'mark_unpaid', mark_uncollectible: true, reason: 'no_new_payment_method' },
    });
    expect((await fx.attempts(ref.merchant, ref.invoice))[0]).toMatchObject({ decision: 'exhausted', reason: 'no_new_payment_method' });
    // A card given after the case gave up changes nothing.
    await fx.deliver(billing.cardChanged(ref, 'pm_card_visa', fx.clock.now()));
    expect(await retryDues(ref)).toEqual([]);
  });

  describe('a payment or a void ends the case whatever the order', () => {
    it('paid before the due retry: no retry, and the case is closed', async () => {
      const t0 = begin();
      const ref = newInvoiceRef();
      await open(ref, t0);
      await fx.deliver(billing.failed(ref, { attempt: 1, at: t0 }));
      await fx.deliver(billing.paid(ref, 1, plus(t0, HOUR_MS)));
      fx.clock.set(plus(t0, 2 * DAY_MS));
      await fx.schedulerPass();
      expect(await retryDues(ref)).toEqual([]);
      expect(await fx.story(ref.invoice)).toEqual(['dunning.decided #1 retry_scheduled', 'dunning.decided #1 closed']);
    });

    it('paid (by a later attempt) before the failure arrives: nothing opens', async () => {
      const t0 = begin();
      const ref = newInvoiceRef();
      await fx.deliver(billing.paid(ref, 2, plus(t0, HOUR_MS)));
      await open(ref, t0);
      await fx.deliver(billing.failed(ref, { attempt: 1, at: t0 }));
      fx.clock.set(plus(t0, 2 * DAY_MS));
      await fx.schedulerPass();
      expect(await fx.story(ref.invoice)).toEqual([]);
      expect((await fx.attempts(ref.merchant, ref.invoice)).map((a) => [a.attempt, a.decision, a.reason])).toEqual([
        [1, null, 'invoice_paid'],
        [2, 'paid', 'invoice_paid'],
      ]);
    });

    it('voided before or after the failure: no retry', async () => {
      const t0 = begin();
      const before = newInvoiceRef();
      await fx.deliver(billing.voided(before, 1, t0));
      await fx.deliver(billing.failed(before, { attempt: 1, at: t0 }));
      const after = newInvoiceRef();
      await fx.deliver(billing.failed(after, { attempt: 1, at: t0 }));
      await fx.deliver(billing.voided(after, 1, t0));
      fx.clock.set(plus(t0, 2 * DAY_MS));
      await fx.schedulerPass();
      expect(await fx.story(before.invoice)).toEqual([]);
      expect(await fx.story(after.invoice)).toEqual(['dunning.decided #1 retry_scheduled', 'dunning.decided #1 closed']);
    });

    it('paid after the retry was issued: the retry stands (billing drops it), the case closes', async () => {
      const t0 = begin();
      const ref = newInvoiceRef();
      await fx.deliver(billing.failed(ref, { attempt: 1, at: t0 }));
      fx.clock.set(plus(t0, DAY_MS));
      await fx.schedulerPass();
      await fx.deliver(billing.paid(ref, 2, fx.clock.now()));
      await fx.deliver(billing.paid(ref, 2, fx.clock.now()));
      expect(await fx.story(ref.invoice)).toEqual([
        'dunning.decided #1 retry_scheduled',
        'dunning.retry_due #2',
        'dunning.decided #1 closed',
      ]);
    });
  });

  it('a card change that overtook the failure: the case opens and tries the new card at once', async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    await fx.deliver(billing.cardChanged(ref, 'pm_card_mastercard', t0, 'pm_card_visa'));
    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, payment_method: 'pm_card_visa', decline_code: 'lost_card' }));
    expect(await fx.story(ref.invoice)).toEqual([
      'payment_method.unusable',
      'dunning.decided #1 retry_scheduled',
      'dunning.retry_due #2',
    ]);
    expect((await retryDues(ref))[0].data.reason).toBe('new_payment_method');
  });

  it('a card change older than the one applied changes nothing', async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    const older = billing.cardChanged(ref, 'pm_card_amex', t0);
    const newer = billing.cardChanged(ref, 'pm_card_mastercard', t0);
    await fx.deliver({ ...newer, aggregate_version: older.aggregate_version + 1 });
    await fx.deliver(older);
    const { rows } = await fx.db.query(`SELECT payment_method FROM customers WHERE id = $1`, [ref.customer]);
    expect(rows[0].payment_method).toBe('pm_card_mastercard');
  });

  it("two failed invoices of one subscription escalate from the earliest one's first failure", async () => {
    const t0 = begin();
    const first = newInvoiceRef();
    const second = nextInvoiceOf(first);
    await fx.deliver(billing.failed(first, { attempt: 1, at: t0 }));
    fx.clock.set(plus(t0, 1.5 * DAY_MS));
    await fx.deliver(billing.failed(second, { attempt: 1, at: fx.clock.now() }));
    // Its own schedule would say day 1 after its failure (t0 + 2.5 d); anchored on the first: day 3.
    expect((await decisions(second))[0].data).toMatchObject({ due_at: iso(plus(t0, 3 * DAY_MS)), reason: 'schedule_day_3' });
    // Once the earliest is paid, the later one counts from its own first failure: its next day is day 3.
    await fx.deliver(billing.paid(first, 2, fx.clock.now()));
    fx.clock.set(plus(t0, 3 * DAY_MS));
    await fx.deliver(billing.failed(second, { attempt: 2, at: fx.clock.now() }));
    expect((await decisions(second)).at(-1)?.data).toMatchObject({
      attempt: 2,
      due_at: iso(plus(t0, 1.5 * DAY_MS + 3 * DAY_MS)),
      reason: 'schedule_day_3',
    });
  });

  it("billing's own no-card failures (no payment intent) announce no card unusable", async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    await fx.deliver(
      billing.failed(ref, { attempt: 1, at: t0, code: 'amount_out_of_range', decline_code: null, network: null, payment_intent: null }),
    );
    expect(await fx.story(ref.invoice)).toEqual(['dunning.decided #1 wait_for_payment_method']);
  });

  it('a technical failure is retried sooner (an hour), not on the schedule', async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, code: 'psp_unavailable', decline_code: null, network: null }));
    expect((await decisions(ref))[0].data).toMatchObject({
      decision: 'retry_scheduled',
      due_at: iso(plus(t0, HOUR_MS)),
      reason: 'technical_backoff',
      classification: 'technical',
    });
  });

  it("the card's budget counts the merchant's own declines of it: past Visa's 15 reattempts the case is exhausted", async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    const card = 'pm_card_visa_budget';
    for (let i = 0; i < 16; i++) {
      await fx.deliver(merchantDecline(ref.merchant, card, 'visa', plus(t0, -(10 * DAY_MS) + i * HOUR_MS)));
    }
    // Another merchant's declines of a card with the same id are not this card.
    const other = newInvoiceRef();
    for (let i = 0; i < 16; i++) await fx.deliver(merchantDecline(other.merchant, card, 'visa', plus(t0, -(10 * DAY_MS))));
    await fx.deliver(billing.failed(other, { attempt: 1, at: t0, payment_method: card }));
    expect((await decisions(other))[0].data).toMatchObject({ decision: 'exhausted', reason: 'budget:visa_30d' });

    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, payment_method: card }));
    expect(await fx.story(ref.invoice)).toEqual(['dunning.decided #1 exhausted', 'dunning.exhausted']);
    expect((await decisions(ref))[0].data).toMatchObject({ decision: 'exhausted', reason: 'budget:visa_30d' });

    const fresh = newInvoiceRef();
    await fx.deliver(billing.failed(fresh, { attempt: 1, at: t0, payment_method: card }));
    expect((await decisions(fresh))[0].data).toMatchObject({ decision: 'retry_scheduled', reason: 'schedule_day_1' });
  });

  it("a planned retry is checked against the card's budget again when it falls due", async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    const card = 'pm_card_visa_recheck';
    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, payment_method: card }));
    expect((await decisions(ref))[0].data).toMatchObject({ decision: 'retry_scheduled', reason: 'schedule_day_1' });
    // The merchant declines the card 15 more times before the retry's day.
    for (let i = 0; i < 15; i++) await fx.deliver(merchantDecline(ref.merchant, card, 'visa', plus(t0, HOUR_MS + i * 60_000)));
    fx.clock.set(plus(t0, DAY_MS));
    await fx.schedulerPass();
    expect(await retryDues(ref)).toEqual([]);
    expect((await decisions(ref)).at(-1)?.data).toMatchObject({ attempt: 1, decision: 'exhausted', reason: 'budget:visa_30d' });
  });

  it('a replayed failure (the same event, or the same attempt again) decides nothing twice', async () => {
    const t0 = begin();
    const ref = newInvoiceRef();
    const failure = billing.failed(ref, { attempt: 1, at: t0, decline_code: 'lost_card' });
    await fx.deliver(failure);
    await fx.deliver(failure);
    await fx.deliver(billing.failed(ref, { attempt: 1, at: t0, decline_code: 'lost_card' }));
    expect(await fx.story(ref.invoice)).toEqual(['payment_method.unusable', 'dunning.decided #1 wait_for_payment_method']);
    const { rows } = await fx.db.query(`SELECT count(*)::int AS n FROM card_authorizations WHERE invoice_id = $1`, [ref.invoice]);
    expect(rows[0].n).toBe(1);
  });
});
