import { waitFor } from '@payflow/platform/testing';
import { call, createMerchant, type Answer } from './e2e-client';

/**
 * Dunning end to end (issue 12), every service a process on real Kafka, payments through intents,
 * the orchestrator and the simulator's test cards: soft declines retried on the schedule and paid,
 * hard declines never retried on the same card until the customer gives a new one, and a schedule
 * exhausted into the merchant's final action. Everything runs on test clocks: an advance runs
 * every renewal, payment and retry on the way, in order. This is the README's dunning walk-through.
 */
describe('dunning through the gateway', () => {
  const DAY = 86_400_000;
  /** A test runs months of a clock through every service: minutes, not seconds, on a busy machine. */
  const LONG = 300_000;
  const iso = (ms: number) => new Date(ms).toISOString();

  async function ok(method: string, path: string, key: string, body?: unknown): Promise<Answer['body']> {
    const answer = await call(method, path, key, body);
    if (answer.status >= 300) throw new Error(`${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  async function advance(key: string, clock: string, to: number): Promise<void> {
    await ok('POST', `/v1/test_clocks/${clock}/advance`, key, { frozen_time: iso(to) });
    await waitFor(
      async () => {
        const answer = await call('GET', `/v1/test_clocks/${clock}`, key);
        return answer.body.status === 'ready' ? answer.body : null;
      },
      { what: `${clock} to reach ${iso(to)}`, timeoutMs: 240_000 },
    );
  }

  async function subscriptionStatus(key: string, id: string): Promise<string> {
    return (await ok('GET', `/v1/subscriptions/${id}`, key)).status;
  }

  async function waitForStatus(key: string, id: string, status: string): Promise<void> {
    await waitFor(async () => ((await subscriptionStatus(key, id)) === status ? true : null), {
      what: `${id} to be ${status}`,
      timeoutMs: 60_000,
    });
  }

  async function invoicesOf(key: string, subscription: string): Promise<Answer['body'][]> {
    const list = await ok('GET', `/v1/invoices?subscription=${subscription}&limit=100`, key);
    return (list.data as Answer['body'][]).sort((a, b) => a.period_start.localeCompare(b.period_start));
  }

  async function attemptsOf(key: string, invoice: string): Promise<Answer['body'][]> {
    const list = await ok('GET', `/v1/invoices/${invoice}/payment_attempts`, key);
    expect(list.object).toBe('list');
    return list.data as Answer['body'][];
  }

  /** A customer on `clock` whose first invoice of `price` is paid with pm_card_visa: the subscription is active. */
  async function activeSubscription(key: string, clock: string, price: string) {
    const customer = await ok('POST', '/v1/customers', key, { payment_method: 'pm_card_visa', test_clock: clock });
    const subscription = await ok('POST', '/v1/subscriptions', key, { customer: customer.id, items: [{ price: price }] });
    await waitForStatus(key, subscription.id, 'active');
    return { customer: customer.id as string, subscription: subscription.id as string };
  }

  it('retries a soft decline on days 1 and 3 of the schedule and is paid on the third attempt: active → past_due → active', async () => {
    const { api_key: key } = await createMerchant();
    const start = Date.parse('2030-03-01T00:00:00Z');
    const clock = await ok('POST', '/v1/test_clocks', key, { frozen_time: iso(start) });
    const price = await ok('POST', '/v1/prices', key, { currency: 'usd', unit_amount: 2_500, recurring: { interval: 'month' } });
    const { customer, subscription } = await activeSubscription(key, clock.id, price.id);
    await ok('POST', `/v1/customers/${customer}`, key, { payment_method: 'pm_card_insufficientFundsTwice' });

    await advance(key, clock.id, Date.parse('2030-04-06T00:00:00Z'));

    const [, renewal] = await invoicesOf(key, subscription);
    expect(renewal).toMatchObject({ status: 'paid', attempt_count: 3, amount_paid: 2_500 });
    const attempts = await attemptsOf(key, renewal.id);
    expect(attempts.map((a) => [a.attempt, a.status, a.decline_code, a.decision])).toEqual([
      [1, 'failed', 'insufficient_funds', 'retry_scheduled'],
      [2, 'failed', 'insufficient_funds', 'retry_scheduled'],
      [3, 'succeeded', null, 'paid'],
    ]);
    for (const a of attempts) expect(a.reason).toEqual(expect.any(String));
    const first = Date.parse(attempts[0].at);
    expect(Date.parse(attempts[1].at) - first).toBe(1 * DAY);
    expect(Date.parse(attempts[2].at) - first).toBe(3 * DAY);
    expect(await subscriptionStatus(key, subscription)).toBe('active');

    const events = await ok('GET', '/v1/events?limit=100', key);
    const statuses = (events.data as Answer['body'][])
      .filter((e) => e.type === 'customer.subscription.updated' && e.data.object.id === subscription)
      .sort((a, b) => a.created.localeCompare(b.created))
      .map((e) => e.data.object.status);
    expect(statuses.slice(statuses.indexOf('past_due'))).toEqual(['past_due', 'active']);
  }, LONG);

  it.each([
    ['pm_card_chargeDeclinedLostCard', 'lost_card'],
    ['pm_card_visa_chargeDeclinedStolenCard', 'stolen_card'],
    ['pm_card_mastercard_doNotTryAgain', 'do_not_honor'],
  ])('never retries %s after its hard decline, renewals included, until the customer gives a new card', async (card, declineCode) => {
    const { api_key: key } = await createMerchant();
    const start = Date.parse('2030-03-01T00:00:00Z');
    const clock = await ok('POST', '/v1/test_clocks', key, { frozen_time: iso(start) });
    const price = await ok('POST', '/v1/prices', key, { currency: 'usd', unit_amount: 900, recurring: { interval: 'week' } });
    const { customer, subscription } = await activeSubscription(key, clock.id, price.id);
    await ok('POST', `/v1/customers/${customer}`, key, { payment_method: card });

    // The renewal of day 7 is declined once; ten days on (past the renewal of day 14) nothing more was tried.
    await advance(key, clock.id, start + 17 * DAY);
    const [, renewal, next] = await invoicesOf(key, subscription);
    const declined = await attemptsOf(key, renewal.id);
    expect(declined).toHaveLength(1);
    expect(declined[0]).toMatchObject({ status: 'failed', decline_code: declineCode, decision: 'wait_for_payment_method' });
    expect(declined[0].payment_intent).toMatch(/^pi_/);
    const unasked = await attemptsOf(key, next.id);
    expect(unasked).toHaveLength(1);
    expect(unasked[0]).toMatchObject({ status: 'failed', payment_intent: null, code: 'payment_method_unusable', decision: 'wait_for_payment_method' });
    expect(await subscriptionStatus(key, subscription)).toBe('past_due');

    // A new card: exactly one attempt per open invoice, at once, and both are paid.
    await ok('POST', `/v1/customers/${customer}`, key, { payment_method: 'pm_card_visa' });
    await waitFor(
      async () => {
        const invoices = await invoicesOf(key, subscription);
        return invoices.every((invoice) => invoice.status === 'paid') ? invoices : null;
      },
      { what: 'both open invoices to be paid on the new card', timeoutMs: 120_000 },
    );
    for (const invoice of [renewal, next]) {
      // Dunning records the paid attempt when invoice.paid reaches it.
      const attempts = await waitFor(
        async () => {
          const list = await attemptsOf(key, invoice.id);
          return list.some((a) => a.status === 'succeeded') ? list : null;
        },
        { what: `dunning to record the paid attempt of ${invoice.id}`, timeoutMs: 30_000 },
      );
      expect(attempts).toHaveLength(2);
      expect(attempts[1]).toMatchObject({ status: 'succeeded', decision: 'paid' });
    }
    await waitForStatus(key, subscription, 'active');
  }, LONG);

  it.each([
    ['cancel', 'canceled'],
    ['mark_unpaid', 'unpaid'],
  ])('exhausts the default schedule (8 tries in 14 days) on a card declined every time, then applies %s', async (finalAction, status) => {
    const { api_key: key } = await createMerchant();
    await ok('POST', '/v1/dunning_settings', key, { final_action: finalAction });
    const start = Date.parse('2030-03-01T00:00:00Z');
    const clock = await ok('POST', '/v1/test_clocks', key, { frozen_time: iso(start) });
    const price = await ok('POST', '/v1/prices', key, { currency: 'eur', unit_amount: 1_200, recurring: { interval: 'month' } });
    const { customer, subscription } = await activeSubscription(key, clock.id, price.id);
    await ok('POST', `/v1/customers/${customer}`, key, { payment_method: 'pm_card_chargeDeclined' });

    await advance(key, clock.id, Date.parse('2030-04-20T00:00:00Z'));

    const [, renewal] = await invoicesOf(key, subscription);
    const attempts = await attemptsOf(key, renewal.id);
    expect(attempts).toHaveLength(8);
    expect(attempts.every((a) => a.status === 'failed' && a.decline_code === 'generic_decline')).toBe(true);
    expect(attempts.slice(0, 7).map((a) => a.decision)).toEqual(Array(7).fill('retry_scheduled'));
    expect(attempts[7].decision).toBe('exhausted');
    const days = attempts.map((a) => (Date.parse(a.at) - Date.parse(attempts[0].at)) / DAY);
    expect(days).toEqual([0, 1, 3, 5, 7, 10, 12, 14]);
    await waitForStatus(key, subscription, status);
  }, LONG);

  it('serves the merchant dunning settings with defaults, validates them, and keeps payment attempts per merchant', async () => {
    const merchant = await createMerchant();
    const other = await createMerchant();
    expect(await ok('GET', '/v1/dunning_settings', merchant.api_key)).toMatchObject({
      retry_schedule_days: [1, 3, 5, 7, 10, 12, 14],
      final_action: 'cancel',
      mark_uncollectible: false,
    });
    const bad = await call('POST', '/v1/dunning_settings', merchant.api_key, { retry_schedule_days: [3, 1] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('retry_schedule_days');
    const changed = await ok('POST', '/v1/dunning_settings', merchant.api_key, { retry_schedule_days: [2, 4], mark_uncollectible: true });
    expect(changed).toMatchObject({ retry_schedule_days: [2, 4], final_action: 'cancel', mark_uncollectible: true });
    expect((await ok('GET', '/v1/dunning_settings', other.api_key)).retry_schedule_days).toEqual([1, 3, 5, 7, 10, 12, 14]);

    const price = await ok('POST', '/v1/prices', merchant.api_key, { currency: 'usd', unit_amount: 500, recurring: { interval: 'month' } });
    const customer = await ok('POST', '/v1/customers', merchant.api_key, { payment_method: 'pm_card_visa' });
    const subscription = await ok('POST', '/v1/subscriptions', merchant.api_key, { customer: customer.id, items: [{ price: price.id }] });
    await waitForStatus(merchant.api_key, subscription.id, 'active');
    const [invoice] = await invoicesOf(merchant.api_key, subscription.id);
    expect((await call('GET', `/v1/invoices/${invoice.id}/payment_attempts`, other.api_key)).status).toBe(404);
  });
});
