import { INestApplication } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { TOPICS } from '@payflow/contracts';
import { loadConfig } from '@payflow/platform/config';
import { KafkaInboxServer, createKafka } from '@payflow/platform/messaging';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import { runService } from '@payflow/platform/service';
import { LedgerAppModule } from '../src/app.module';
import { LedgerConfig } from '../src/ledger.config';
import { IntentStory, newId } from './money-events';

const TOKEN = 'ledger-test-internal-token';

describe('ledger service end to end', () => {
  let app: INestApplication;
  let url: string;
  let producer: Producer;

  const get = async (path: string, token = TOKEN) => {
    const response = await fetch(`${url}${path}`, { headers: { 'x-internal-token': token } });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    const config = loadConfig(LedgerConfig, { ...process.env, INTERNAL_API_TOKEN: TOKEN, LOG_LEVEL: 'warn' });
    app = await runService(LedgerAppModule.forRoot(config), { service: 'ledger', port: 0 });
    url = (await app.getUrl()).replace('[::1]', 'localhost');
    await waitFor(() => app.get(KafkaInboxServer).isReady(), { what: 'ledger consumer assigned' });
    producer = createKafka('ledger-e2e', kafkaBrokers()).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
  });

  it('books events published to Kafka, serves the balance and entries, and verifies clean', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 10_000, 'USD');
    const held = new IntentStory(merchantId, 2_500, 'USD');
    const events = [story.authorized(), story.captured(10_000), story.refundSucceeded(5_000), held.authorized()];
    // Delivered twice, as Kafka may: booked once.
    for (const event of [...events, ...events]) {
      await producer.send({
        topic: wireTopic(TOPICS.intents),
        messages: [{ key: event.aggregate_id, value: JSON.stringify(event), headers: { 'event-id': event.id } }],
      });
    }

    const balance = await waitFor(
      async () => {
        const { body } = await get(`/internal/v1/merchants/${merchantId}/balance`);
        // The two intents are on two partitions: wait for both, not just the refunded one.
        const refundBooked = body.available?.[0]?.amount === 10_000 - 320 - 5_000;
        const holdBooked = body.pending?.[0]?.amount === 2_500;
        return refundBooked && holdBooked ? body : null;
      },
      { what: 'the refund and the other intent\'s hold to be booked' },
    );
    expect(balance).toMatchObject({
      object: 'balance',
      available: [{ currency: 'USD', amount: 4_680 }],
      pending: [{ currency: 'USD', amount: 2_500 }],
      fees: [{ currency: 'USD', amount: 320 }],
    });

    // Two intents live on two partitions, so only each intent's own entries have a fixed order.
    await waitFor(async () => (await get(`/internal/v1/merchants/${merchantId}/entries?limit=10`)).body.data?.length === 4, {
      what: 'four entries',
    });
    const first = (await get(`/internal/v1/merchants/${merchantId}/entries?limit=2`)).body;
    expect(first.has_more).toBe(true);
    const second = (await get(`/internal/v1/merchants/${merchantId}/entries?limit=10&starting_after=${first.data[1].id}`)).body;
    expect(second.has_more).toBe(false);
    const all = [...first.data, ...second.data];
    const numbers = all.map((e: { id: string }) => Number(e.id.slice(3)));
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a)); // newest first
    expect(all.map((e: { kind: string }) => e.kind).sort()).toEqual(['authorization_hold', 'authorization_hold', 'capture', 'refund']);
    const ofStory = all.filter((e: { payment_intent: string }) => e.payment_intent === story.intent.id).map((e: { kind: string }) => e.kind);
    expect(ofStory).toEqual(['refund', 'capture', 'authorization_hold']);
    const capture = all.find((e: { kind: string }) => e.kind === 'capture');
    expect(capture.voids_entry).toBe(all.find((e: { kind: string; payment_intent: string }) => e.kind === 'authorization_hold' && e.payment_intent === story.intent.id).id);

    const past = await get(`/internal/v1/merchants/${merchantId}/balance?as_of=2020-01-01T00:00:00Z`);
    expect(past.body.available).toEqual([{ currency: 'USD', amount: 0 }]);

    const verify = await get('/internal/v1/verify');
    expect(verify.status).toBe(200);
    expect(verify.body).toMatchObject({ balanced: true, violations: [] });
    expect(verify.body.entries).toBeGreaterThanOrEqual(4);
  });

  it('refuses internal calls without the internal token, and bad queries with the field named', async () => {
    expect((await get('/internal/v1/verify', 'wrong-token-wrong-token')).status).toBe(401);
    const bad = await get(`/internal/v1/merchants/mer_x/entries?limit=500`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ type: 'invalid_request_error', param: 'limit' });
  });

  it('answers /healthz and /readyz', async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
  });
});
