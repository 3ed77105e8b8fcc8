import { randomBytes } from 'node:crypto';
import { EventEnvelope, EventOf, TOPICS, createEvent, validateEvent } from '@payflow/contracts';
import { waitFor, wireTopic } from '@payflow/platform/testing';
import { IntentsFixture, Json, newMerchant } from './intents-fixture';

const hex = (n: number) => randomBytes(n).toString('hex');

/**
 * Billing's payment commands and the gateway's merchant events, published on their topics as
 * billing and the gateway will (DESIGN.md, "Billing"); the orchestrator played with `payment.*`.
 */
describe('intents: invoice payments and the fee schedule projection', () => {
  const fx = new IntentsFixture();

  beforeAll(() => fx.start());
  afterAll(() => fx.stop());

  let versions = 0;
  function merchantEvent(
    type: 'merchant.created' | 'merchant.updated',
    merchant: string,
    version: number,
    schedule: { fee_bps: number; fee_fixed: Record<string, number> } = {
      fee_bps: 150,
      fee_fixed: { USD: 20 },
    },
  ): EventOf<'merchant.created'> {
    versions += 1;
    return createEvent({
      type,
      source: 'gateway',
      aggregate_type: 'merchant',
      aggregate_id: merchant,
      aggregate_version: version,
      merchant_id: merchant,
      data: { id: merchant, name: `Shop ${versions}`, ...schedule, version },
    }) as EventOf<'merchant.created'>;
  }

  interface Invoice {
    id: string;
    merchant: string;
    customer: string;
    subscription: string;
    amount: number;
  }
  const newInvoice = (merchant: string, amount = 2_500): Invoice => ({
    id: `in_${hex(12)}`,
    merchant,
    customer: `cus_${hex(12)}`,
    subscription: `sub_${hex(12)}`,
    amount,
  });

  function paymentRequested(
    invoice: Invoice,
    attempt: number,
    paymentMethod = 'pm_card_visa',
  ): EventOf<'invoice.payment_requested'> {
    const now = new Date().toISOString();
    return createEvent({
      type: 'invoice.payment_requested',
      source: 'billing',
      aggregate_type: 'invoice',
      aggregate_id: invoice.id,
      aggregate_version: attempt,
      merchant_id: invoice.merchant,
      correlation_id: `corr_${invoice.id}`,
      data: {
        invoice: {
          id: invoice.id,
          object: 'invoice',
          number: 'SHOP-000001',
          customer: invoice.customer,
          subscription: invoice.subscription,
          status: 'open',
          currency: 'USD',
          lines: [],
          subtotal: invoice.amount,
          starting_balance: 0,
          total: invoice.amount,
          amount_due: invoice.amount,
          amount_paid: 0,
          attempt_count: attempt,
          next_payment_attempt: null,
          payment_intent: null,
          period_start: now,
          period_end: now,
          created: now,
          finalized_at: now,
          paid_at: null,
        },
        attempt,
        payment_method: paymentMethod,
        amount: invoice.amount,
        currency: 'USD',
        customer: invoice.customer,
        off_session: true,
      },
    }) as EventOf<'invoice.payment_requested'>;
  }

  async function publish(topic: string, key: string, ...events: EventEnvelope[]): Promise<void> {
    for (const event of events) expect(validateEvent(event)).toMatchObject({ ok: true });
    await fx.producer.send({
      topic: wireTopic(topic as (typeof TOPICS)[keyof typeof TOPICS]),
      messages: events.map((event) => ({
        key,
        value: JSON.stringify(event),
        headers: { 'event-id': event.id, 'event-type': event.type },
      })),
    });
  }
  const publishMerchant = (...events: EventOf<'merchant.created'>[]) =>
    publish(TOPICS.gateway, events[0].data.id, ...events);
  const publishCommand = (invoice: Invoice, ...events: EventOf<'invoice.payment_requested'>[]) =>
    publish(TOPICS.billing, invoice.subscription, ...events);

  const processed = (eventId: string) =>
    waitFor(async () => (await fx.count(`inbox WHERE event_id = $1`, [eventId])) === 1, {
      what: `event ${eventId} consumed`,
    });

  async function knownMerchant(schedule?: {
    fee_bps: number;
    fee_fixed: Record<string, number>;
  }): Promise<string> {
    const merchant = newMerchant();
    const created = merchantEvent('merchant.created', merchant, 1, schedule);
    await publishMerchant(created);
    await processed(created.id);
    return merchant;
  }

  async function intentOf(invoice: Invoice): Promise<Json> {
    const { rows } = await fx.db.query(`SELECT id FROM payment_intents WHERE invoice = $1`, [invoice.id]);
    if (!rows[0]) return null;
    return (await fx.get(`/${rows[0].id}`, invoice.merchant)).body;
  }
  const waitForIntent = (invoice: Invoice) =>
    waitFor(() => intentOf(invoice), { what: `the intent of ${invoice.id}` });

  async function request(invoice: Invoice, attempt: number): Promise<Json> {
    const { rows } = await fx.db.query(
      `SELECT status, reason, payment_intent_id FROM invoice_payment_requests WHERE invoice_id = $1 AND attempt = $2`,
      [invoice.id, attempt],
    );
    return rows[0] ?? null;
  }
  const decided = (invoice: Invoice, attempt: number, status: string) =>
    waitFor(async () => (await request(invoice, attempt))?.status === status, {
      what: `${invoice.id} attempt ${attempt} ${status}`,
    });

  /** An invoice whose attempt 1 was applied: its intent is authorizing. */
  async function firstAttempt(merchant: string, invoice = newInvoice(merchant)) {
    await publishCommand(invoice, paymentRequested(invoice, 1));
    await decided(invoice, 1, 'applied');
    const intent = await waitForIntent(invoice);
    return { invoice, intent };
  }

  const typesOf = async (intentId: string) => (await fx.outbox(intentId)).map((e) => e.type);

  it('attempt 1 creates one off-session automatic-capture intent and one authorization request, delivered twice or republished', async () => {
    const merchant = await knownMerchant({ fee_bps: 150, fee_fixed: { USD: 20 } });
    const invoice = newInvoice(merchant);
    const command = paymentRequested(invoice, 1);
    // the same event twice (a redelivery), and billing publishing (invoice, attempt) again
    const republished = paymentRequested(invoice, 1);
    await publishCommand(invoice, command, command, republished);
    await processed(republished.id);

    expect(await fx.count(`payment_intents WHERE invoice = $1`, [invoice.id])).toBe(1);
    const intent = await intentOf(invoice);
    expect(intent).toMatchObject({
      merchant_id: merchant,
      amount: 2_500,
      currency: 'USD',
      status: 'authorizing',
      capture_method: 'automatic',
      payment_method: 'pm_card_visa',
      invoice: invoice.id,
      metadata: { invoice: invoice.id, customer: invoice.customer, subscription: invoice.subscription },
    });
    const events = await fx.outbox(intent.id);
    expect(events.map((e) => e.type)).toEqual([
      'payment_intent.created',
      'payment_intent.authorization_requested',
    ]);
    for (const e of events) {
      expect(e.key).toBe(intent.id);
      expect(e.event.data.intent.invoice).toBe(invoice.id);
      expect(e.event.causation_id).toBe(command.id);
      expect(validateEvent(e.event)).toMatchObject({ ok: true });
    }
    expect(events[1].event.data).toMatchObject({
      payment_method: 'pm_card_visa',
      capture_method: 'automatic',
      attempt_no: 1,
      off_session: true,
    });
    // the fee of the projection, not the platform default
    const { rows } = await fx.db.query(`SELECT fee_schedule FROM payment_intents WHERE id = $1`, [intent.id]);
    expect(rows[0].fee_schedule).toEqual({ fee_bps: 150, fee_fixed: 20 });
    expect(await request(invoice, 1)).toEqual({
      status: 'applied',
      reason: null,
      payment_intent_id: intent.id,
    });

    // and the captured event carries that schedule and the invoice
    await fx.publish(fx.result('payment.authorized', intent), fx.result('payment.captured', intent));
    await fx.waitForStatus(intent.id, 'captured');
    const captured = (await fx.outbox(intent.id)).find((e) => e.type === 'payment_intent.captured');
    expect(captured?.event.data).toMatchObject({
      fee_bps: 150,
      fee_fixed: 20,
      intent: { invoice: invoice.id },
    });
  });

  it('attempt 2 on a failed intent authorizes it again, with the card the command names', async () => {
    const merchant = await knownMerchant();
    const { invoice, intent } = await firstAttempt(merchant);
    await fx.publish(
      fx.result('payment.authorization_failed', intent, {
        code: 'card_declined',
        decline_code: 'generic_decline',
      }),
    );
    await fx.waitForStatus(intent.id, 'failed');

    await publishCommand(invoice, paymentRequested(invoice, 2, 'pm_card_mastercard'));
    await decided(invoice, 2, 'applied');
    expect(await fx.status(intent.id)).toBe('authorizing');
    expect(await fx.count(`payment_intents WHERE invoice = $1`, [invoice.id])).toBe(1);
    const requested = (await fx.outbox(intent.id)).filter(
      (e) => e.type === 'payment_intent.authorization_requested',
    );
    expect(
      requested.map((e) => [e.event.data.attempt_no, e.event.data.payment_method, e.event.data.off_session]),
    ).toEqual([
      [1, 'pm_card_visa', true],
      [2, 'pm_card_mastercard', true],
    ]);
    expect(await fx.history(intent.id)).toEqual([
      { from_status: null, to_status: 'created', trigger: 'create' },
      { from_status: 'created', to_status: 'authorizing', trigger: 'authorize' },
      { from_status: 'authorizing', to_status: 'failed', trigger: 'authorization_failed' },
      { from_status: 'failed', to_status: 'authorizing', trigger: 'authorize' },
    ]);
  });

  it('attempt 2 while the intent is authorizing is rejected with invoice.payment_request_rejected', async () => {
    const merchant = await knownMerchant();
    const { invoice, intent } = await firstAttempt(merchant);
    const second = paymentRequested(invoice, 2);
    await publishCommand(invoice, second);
    await decided(invoice, 2, 'rejected');
    expect(await request(invoice, 2)).toEqual({
      status: 'rejected',
      reason: 'intent_in_flight',
      payment_intent_id: intent.id,
    });
    const rejected = (await fx.outbox(intent.id)).filter(
      (e) => e.type === 'invoice.payment_request_rejected',
    );
    expect(rejected).toHaveLength(1);
    expect(rejected[0].key).toBe(intent.id);
    expect(rejected[0].event).toMatchObject({
      merchant_id: merchant,
      causation_id: second.id,
      data: { invoice: invoice.id, attempt: 2, reason: 'intent_in_flight', payment_intent: intent.id },
    });
    expect(validateEvent(rejected[0].event)).toMatchObject({ ok: true });
    expect(await typesOf(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.authorization_requested',
      'invoice.payment_request_rejected',
    ]);
    expect(await fx.status(intent.id)).toBe('authorizing');

    // a paid invoice's later attempt is rejected as already paid; the attempt after a rejected one is the next
    await fx.publish(fx.result('payment.authorized', intent), fx.result('payment.captured', intent));
    await fx.waitForStatus(intent.id, 'captured');
    await publishCommand(invoice, paymentRequested(invoice, 3));
    await decided(invoice, 3, 'rejected');
    expect((await request(invoice, 3)).reason).toBe('already_paid');
  });

  it('a command for a merchant not known yet waits, then proceeds once merchant.created arrives', async () => {
    const merchant = newMerchant();
    const invoice = newInvoice(merchant);
    const first = paymentRequested(invoice, 1);
    await publishCommand(invoice, first);
    await processed(first.id);
    expect(await request(invoice, 1)).toMatchObject({ status: 'waiting_merchant' });
    expect(await fx.count(`payment_intents WHERE invoice = $1`, [invoice.id])).toBe(0);
    // not dead-lettered, not retried into an error: it is parked, and the consumer moved on
    const other = await knownMerchant();
    await firstAttempt(other);

    await publishMerchant(
      merchantEvent('merchant.created', merchant, 1, { fee_bps: 220, fee_fixed: { USD: 10 } }),
    );
    await decided(invoice, 1, 'applied');
    const intent = await intentOf(invoice);
    expect(intent).toMatchObject({ status: 'authorizing', invoice: invoice.id });
    expect(await typesOf(intent.id)).toEqual([
      'payment_intent.created',
      'payment_intent.authorization_requested',
    ]);
    const { rows } = await fx.db.query(`SELECT fee_schedule FROM payment_intents WHERE id = $1`, [intent.id]);
    expect(rows[0].fee_schedule).toEqual({ fee_bps: 220, fee_fixed: 10 });
  });

  it('merchant.updated with an older version is ignored; a newer one applies to later payments', async () => {
    const merchant = newMerchant();
    const v1 = merchantEvent('merchant.created', merchant, 1, { fee_bps: 100, fee_fixed: { USD: 5 } });
    const v3 = merchantEvent('merchant.updated', merchant, 3, { fee_bps: 300, fee_fixed: { USD: 30 } });
    const v2 = merchantEvent('merchant.updated', merchant, 2, { fee_bps: 999, fee_fixed: { USD: 99 } });
    await publishMerchant(v1, v3, v2);
    await processed(v2.id);
    const { rows } = await fx.db.query(
      `SELECT fee_bps, fee_fixed, version, source_event_id FROM merchant_fee_schedules WHERE merchant_id = $1`,
      [merchant],
    );
    expect(rows).toEqual([{ fee_bps: 300, fee_fixed: { USD: 30 }, version: 3, source_event_id: v3.id }]);

    const { intent } = await firstAttempt(merchant);
    const stamped = await fx.db.query(`SELECT fee_schedule FROM payment_intents WHERE id = $1`, [intent.id]);
    expect(stamped.rows[0].fee_schedule).toEqual({ fee_bps: 300, fee_fixed: 30 });
  });

  it('merchants get 409 invoice_payment on authorize, capture and cancel of an invoice intent, and may refund it', async () => {
    const merchant = await knownMerchant();
    const { intent } = await firstAttempt(merchant);
    await fx.publish(fx.result('payment.authorized', intent));
    await fx.waitForStatus(intent.id, 'authorized');
    const before = await fx.snapshot(merchant);
    for (const command of ['authorize', 'capture', 'cancel']) {
      const answer = await fx.post(
        `/${intent.id}/${command}`,
        merchant,
        {},
        { 'idempotency-key': `k-${hex(6)}` },
      );
      expect([command, answer.status, answer.body.error]).toMatchObject([
        command,
        409,
        { type: 'invalid_request_error', code: 'invoice_payment' },
      ]);
    }
    expect(await fx.snapshot(merchant)).toEqual(before);

    await fx.publish(fx.result('payment.captured', intent));
    await fx.waitForStatus(intent.id, 'captured');
    const refund = await fx.post(`/${intent.id}/refund`, merchant, { amount: 500 });
    expect(refund.status).toBe(200);
    expect(refund.body).toMatchObject({ payment_intent: intent.id, amount: 500, status: 'pending' });
    // a merchant's own intent shows invoice null
    expect((await fx.createIntent(merchant)).invoice).toBeNull();
  });

  it("an invoice's failed automatic capture is a failed payment: billing hears capture_failed, the hold is voided, attempt 2 can follow", async () => {
    const merchant = await knownMerchant();
    const { invoice, intent } = await firstAttempt(merchant);
    await fx.publish(fx.result('payment.authorized', intent));
    await fx.waitForStatus(intent.id, 'authorized');
    await fx.publish(fx.result('payment.capture_failed', intent, { code: 'capture_failed', message: 'no' }));
    await fx.waitForStatus(intent.id, 'failed');
    const events = await fx.outbox(intent.id);
    const failed = events.find((e) => e.type === 'payment_intent.capture_failed');
    const voided = events.find((e) => e.type === 'payment_intent.cancel_requested');
    expect(failed?.event.data).toMatchObject({
      provider: 'stripe',
      intent: {
        status: 'failed',
        invoice: invoice.id,
        amount_capturable: 0,
        last_error: { code: 'capture_failed' },
      },
    });
    expect(voided?.event.data).toMatchObject({ provider: 'stripe', reason: 'invoice_capture_failed' });

    // the void's result finds a failed intent: nothing changes
    await fx.publish(fx.result('payment.canceled', intent));
    await publishCommand(invoice, paymentRequested(invoice, 2));
    await decided(invoice, 2, 'applied');
    expect(await fx.status(intent.id)).toBe('authorizing');
  });
});
