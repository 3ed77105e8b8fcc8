import { EventEnvelope } from '@payflow/contracts';
import { consumerInfrastructureRetriesTotal } from '@payflow/platform/observability';
import { uniqueName, waitFor } from '@payflow/platform/testing';
import { InboxContext, ensureTopics } from '../src';
import { MessagingFixture, testEvent } from './messaging-fixture';
import { OwnBroker } from './own-broker';

/** Ports of this suite's own broker, away from the shared one (9092) and the usual test ports. */
const broker = new OwnBroker(39_192, 39_193);

async function deadLetterRetries(consumer: string): Promise<number> {
  const { values } = await consumerInfrastructureRetriesTotal.get();
  return values
    .filter((v) => v.labels['consumer'] === consumer && v.labels['operation'] === 'dead_letter')
    .reduce((sum, v) => sum + v.value, 0);
}

describe('inbox transport while the Kafka broker is down', () => {
  let fx: MessagingFixture;

  beforeAll(async () => {
    await broker.start();
  }, 240_000);

  afterAll(async () => {
    await broker.destroy();
  }, 120_000);

  beforeEach(async () => {
    fx = new MessagingFixture(broker.client(uniqueName('outage')));
    await fx.setUp('kafkaout');
  });

  afterEach(() => fx.tearDown(), 60_000);

  it('keeps a dead letter until the broker takes it: never dropped, its offset not stored before', async () => {
    const record = fx.recordingHandler();
    let releasePoison!: () => void;
    const poisonReleased = new Promise<void>((resolve) => (releasePoison = resolve));
    let poisonCalls = 0;
    await fx.startConsumer(
      async (event: EventEnvelope, ctx: InboxContext) => {
        if (event.aggregate_id === 'poison') {
          poisonCalls++;
          await poisonReleased;
          throw new Error('cannot apply poison');
        }
        await record(event, ctx);
      },
      { maxAttempts: 2, infrastructureBackoffMaxMs: 500 },
    );
    await fx.relay().start();
    const poison = testEvent('poison', 1);
    await fx.write([poison]);
    await waitFor(() => poisonCalls > 0, { what: 'the poison message to reach its handler' });

    await broker.stop();
    releasePoison();
    const consumer = `${fx.db.schema}-consumer`;
    await waitFor(async () => (await deadLetterRetries(consumer)) > 0, {
      timeoutMs: 90_000,
      what: 'the dead-letter send to be retried while the broker is down',
    });
    // Not dead-lettered yet, so its position is not stored either: a restart would try it again.
    const { rows } = await fx.db.pool.query(`SELECT max(next_offset)::int AS next FROM "${fx.db.schema}".consumer_offsets`);
    expect(rows[0].next).toBeNull();

    await broker.start();
    await waitFor(async () => (await fx.deadLetterCount()) === 1, { timeoutMs: 120_000, what: 'the dead letter once the broker is back' });
    const [dead] = await fx.deadLetters(1);
    expect(dead).toMatchObject({ key: 'poison', reason: 'failed', error: 'cannot apply poison' });

    // And the consumer goes on with the next event.
    await fx.write([testEvent('after-outage', 1)]);
    await waitFor(async () => (await fx.appliedCount()) === 1, { timeoutMs: 90_000, what: 'an event after the outage' });
    expect(await fx.deadLetterCount()).toBe(1);
  }, 300_000);

  it('close() returns within its deadline while the broker is unreachable', async () => {
    await ensureTopics(fx.kafka, [fx.topic], 6);
    const server = await fx.startConsumer(fx.recordingHandler() as never);
    await broker.stop();
    try {
      const started = Date.now();
      await server.close(3_000);
      expect(Date.now() - started).toBeLessThan(3_500);
    } finally {
      await broker.start();
    }
  }, 300_000);
});
