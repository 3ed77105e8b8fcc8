import { type Producer } from 'kafkajs';
import { TOPICS } from '@payflow/contracts';
import { createKafka } from '@payflow/platform/messaging';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import { DAY_MS, DunningFixture, START, billing, newInvoiceRef, newMerchant } from './dunning-fixture';

/**
 * `GET /internal/v1/invoices/{id}/payment_attempts` (API.md): an invoice dunning knows from
 * `invoice.finalized` answers an empty list before any attempt; each attempt then shows its decline
 * and dunning's decision; another merchant's, an unknown or a malformed invoice is a 404.
 */
describe('dunning: payment attempts', () => {
  const fx = new DunningFixture();
  let producer: Producer;

  beforeAll(async () => {
    await fx.start();
    producer = createKafka('dunning-attempts-test', kafkaBrokers()).producer();
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await fx.stop();
  });

  it('a finalized invoice with no attempt is an empty list (invoice.finalized consumed from Kafka)', async () => {
    const ref = newInvoiceRef();
    const event = billing.finalized(ref, START);
    await producer.send({
      topic: wireTopic(TOPICS.billing),
      messages: [{ key: ref.subscription, value: JSON.stringify(event), headers: { 'event-id': event.id, 'event-type': event.type } }],
    });
    const answer = await waitFor(
      async () => {
        const got = await fx.call('GET', `/invoices/${ref.invoice}/payment_attempts`, { merchant: ref.merchant });
        return got.status === 200 ? got : null;
      },
      { what: 'the finalized invoice to be known' },
    );
    expect(answer.body).toEqual({ object: 'list', data: [], has_more: false, url: `/v1/invoices/${ref.invoice}/payment_attempts` });
  });

  it("another merchant's invoice, an unknown one and a malformed id are 404 resource_missing", async () => {
    const ref = newInvoiceRef();
    await fx.deliver(billing.finalized(ref, START));
    for (const [merchant, id] of [
      [newMerchant(), ref.invoice],
      [ref.merchant, 'in_000000000000000000000000'],
      [ref.merchant, 'not-an-invoice'],
    ]) {
      const answer = await fx.call('GET', `/invoices/${id}/payment_attempts`, { merchant });
      expect({ id, status: answer.status, error: answer.body.error?.code }).toEqual({ id, status: 404, error: 'resource_missing' });
    }
  });

  it('lists each attempt with its decline and decision, oldest first, and the one that paid', async () => {
    const ref = newInvoiceRef();
    await fx.deliver(billing.finalized(ref, START));
    await fx.deliver(billing.failed(ref, { attempt: 1, at: START, decline_code: 'insufficient_funds', network: 'visa' }));
    await fx.deliver(billing.paid(ref, 2, new Date(START.getTime() + DAY_MS)));
    const attempts = await fx.attempts(ref.merchant, ref.invoice);
    expect(attempts).toEqual([
      {
        attempt: 1,
        payment_intent: expect.stringMatching(/^pi_/),
        status: 'failed',
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        network: 'visa',
        advice_code: null,
        decision: 'retry_scheduled',
        reason: 'schedule_day_1',
        at: START.toISOString(),
      },
      {
        attempt: 2,
        payment_intent: expect.stringMatching(/^pi_/),
        status: 'succeeded',
        code: null,
        decline_code: null,
        network: null,
        advice_code: null,
        decision: 'paid',
        reason: 'invoice_paid',
        at: new Date(START.getTime() + DAY_MS).toISOString(),
      },
    ]);
  });

  it("a subscription's first invoice records its failed attempt without a decision", async () => {
    const ref = newInvoiceRef({ billing_reason: 'subscription_create' });
    await fx.deliver(billing.finalized(ref, START));
    await fx.deliver(billing.failed(ref, { attempt: 1, at: START, decline_code: 'lost_card' }));
    const [attempt] = await fx.attempts(ref.merchant, ref.invoice);
    expect(attempt).toMatchObject({ attempt: 1, status: 'failed', decline_code: 'lost_card', decision: null, reason: 'first_invoice' });
    expect(await fx.outbox({ invoice: ref.invoice })).toEqual([]);
  });
});
