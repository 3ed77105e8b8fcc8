import { INestApplication } from '@nestjs/common';
import { Producer } from 'kafkajs';
import { TOPICS } from '@payflow/contracts';
import { loadConfig } from '@payflow/platform/config';
import { KafkaInboxServer, createKafka } from '@payflow/platform/messaging';
import { kafkaBrokers, waitFor, wireTopic } from '@payflow/platform/testing';
import { runService } from '@payflow/platform/service';
import { LedgerAppModule } from '../src/app.module';
import { LedgerConfig } from '../src/ledger.config';
import { MoneyEvent } from '../src/posting-rules';
import { LedgerFixture } from './ledger-fixture';
import { IntentStory, newId } from './money-events';

/**
 * A dead-lettered authorization redriven after its intent was captured or canceled reaches the
 * ledger late, in the order "captured, then authorized". It must book no hold: nothing would ever
 * release it, and the merchant's pending balance would stay wrong for good.
 */
describe('late events through the ledger service', () => {
  const fx = new LedgerFixture();
  let app: INestApplication;
  let producer: Producer;

  const publish = async (...events: MoneyEvent[]) => {
    for (const event of events) {
      await producer.send({
        topic: wireTopic(TOPICS.intents),
        messages: [
          { key: event.aggregate_id, value: JSON.stringify(event), headers: { 'event-id': event.id } },
        ],
      });
    }
  };
  const applied = (event: MoneyEvent) =>
    waitFor(
      async () =>
        (await fx.dataSource.query(`SELECT 1 FROM inbox WHERE event_id = $1`, [event.id])).length > 0
          ? true
          : null,
      {
        what: `event ${event.type} applied`,
      },
    );

  beforeAll(async () => {
    await fx.setUp();
    const config = loadConfig(LedgerConfig, {
      ...process.env,
      INTERNAL_API_TOKEN: 'late-events-token',
      LOG_LEVEL: 'warn',
    });
    app = await runService(LedgerAppModule.forRoot(config), { service: 'ledger', port: 0 });
    await waitFor(() => app.get(KafkaInboxServer).isReady(), { what: 'ledger consumer assigned' });
    producer = createKafka('ledger-late-events', kafkaBrokers()).producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await app?.close();
    await fx.tearDown();
  });

  it('books no hold for an authorization redriven after the capture', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 10_000, 'USD');
    const authorized = story.authorized();
    const captured = story.captured(10_000, 0, 0);
    await publish(captured, authorized);
    await applied(authorized);

    const kinds = await fx.dataSource.query(`SELECT kind FROM entries WHERE intent_id = $1 ORDER BY id`, [
      story.intent.id,
    ]);
    expect(kinds.map((row: { kind: string }) => row.kind)).toEqual(['capture']);
    expect(await fx.merchantAccounts(merchantId)).toEqual({
      'merchant_payable/USD': { posted: 10_000n, pending: 0n },
    });
  });

  it('books no hold for an authorization redriven after a cancel that released nothing', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 4_000, 'EUR');
    const authorized = story.authorized();
    await publish(story.canceled(), authorized);
    await applied(authorized);

    expect(await fx.entryCount(merchantId)).toBe(0);
    expect((await fx.verifier.verify()).violations).toEqual([]);
  });

  it('still releases the hold when authorization, then cancel, come in order', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 4_000, 'EUR');
    const canceled = story.canceled();
    await publish(story.authorized(), canceled);
    await applied(canceled);

    const kinds = await fx.dataSource.query(`SELECT kind FROM entries WHERE intent_id = $1 ORDER BY id`, [
      story.intent.id,
    ]);
    expect(kinds.map((row: { kind: string }) => row.kind)).toEqual(['authorization_hold', 'hold_void']);
    expect(await fx.merchantAccounts(merchantId)).toEqual({
      'merchant_payable/EUR': { posted: 0n, pending: 0n },
    });
  });

  it('books a new hold and capture after a reversed capture, through the consumer, and the book verifies', async () => {
    const merchantId = newId('mer');
    const story = new IntentStory(merchantId, 6_000, 'USD', 'adyen');
    const events = [
      story.authorized(),
      story.captured(6_000, 0, 0),
      story.captureReversed(6_000, 0, 0),
      story.authorized(),
    ];
    const last = story.captured(6_000, 0, 0);
    await publish(...events, last);
    await applied(last);

    const kinds = await fx.dataSource.query(`SELECT kind FROM entries WHERE intent_id = $1 ORDER BY id`, [
      story.intent.id,
    ]);
    expect(kinds.map((row: { kind: string }) => row.kind)).toEqual([
      'authorization_hold',
      'capture',
      'capture_reversal',
      'authorization_hold',
      'capture',
    ]);
    expect(await fx.merchantAccounts(merchantId)).toEqual({
      'merchant_payable/USD': { posted: 6_000n, pending: 0n },
    });
    expect((await fx.verifier.verify()).violations).toEqual([]);
  });
});
