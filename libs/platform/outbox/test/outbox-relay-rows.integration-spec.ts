import { randomBytes, randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { register } from 'prom-client';
import { OutboxRelay, createMessagingTablesSql } from '../src';
import { TestSchema, createTestSchema, kafkaBrokers, uniqueName, waitFor } from '@payflow/platform/testing';
import { createTopics, deleteTopics, testKafka } from './support/test-kafka';

/**
 * The relay never blocks on one row: a row Kafka refuses for good is set aside and the rows behind
 * it are published; a missing topic keeps its rows and backs off until the topic exists.
 */
describe('outbox relay and its rows (real Postgres and Kafka)', () => {
  const kafka: Kafka = testKafka(uniqueName('relay-rows'), kafkaBrokers());
  let db: TestSchema;
  let relay: OutboxRelay;
  const createdTopics: string[] = [];

  beforeEach(async () => {
    db = await createTestSchema('relay_rows', (schema) => createMessagingTablesSql(schema));
  });

  afterEach(async () => {
    await relay?.stop();
    await db.drop();
    await deleteTopics(kafka, createdTopics.splice(0));
  });

  async function insertRow(topic: string, payload: unknown): Promise<string> {
    const { rows } = await db.pool.query<{ id: string }>(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, payload) VALUES ($1, $2, $3, 'test.happened', $4) RETURNING id`,
      [randomUUID(), topic, 'key-1', JSON.stringify(payload)],
    );
    return rows[0].id;
  }

  async function messagesIn(topic: string): Promise<number> {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(topic);
      return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  async function setAsideCount(topic: string): Promise<number> {
    const metric = await register.getSingleMetric('outbox_set_aside_total')?.get();
    return (
      metric?.values.find((value) => value.labels['topic'] === topic && value.labels['service'] === db.schema)
        ?.value ?? 0
    );
  }

  function startRelay(): Promise<void> {
    relay = new OutboxRelay({
      schema: db.schema,
      pool: db.pool,
      connectionString: db.url,
      kafka,
      pollIntervalMs: 100,
      standbyRetryMs: 100,
    });
    return relay.start();
  }

  it('sets aside a row larger than the broker accepts, and publishes the rows after it', async () => {
    const topic = `test.${uniqueName('too_large')}`;
    createdTopics.push(topic);
    await createTopics(kafka, [topic]);
    const before = await insertRow(topic, { n: 1 });
    // 2 MB of random bytes in base64: even gzip-compressed it is far above the broker's 1 MB default.
    const tooLarge = await insertRow(topic, { blob: randomBytes(2_000_000).toString('base64') });
    const after = [await insertRow(topic, { n: 3 }), await insertRow(topic, { n: 4 })];

    await startRelay();

    const rows = await waitFor(
      async () => {
        const { rows } = await db.pool.query<{
          id: string;
          published: boolean;
          set_aside_reason: string | null;
        }>(`SELECT id, published_at IS NOT NULL AS published, set_aside_reason FROM outbox ORDER BY id`);
        return rows.every((row) => row.published || row.set_aside_reason) ? rows : null;
      },
      { timeoutMs: 60_000, what: 'every row published or set aside' },
    );

    expect(rows.filter((row) => row.published).map((row) => row.id)).toEqual([before, ...after]);
    const setAside = rows.find((row) => row.id === tooLarge);
    expect(setAside?.published).toBe(false);
    expect(setAside?.set_aside_reason).toMatch(/^MESSAGE_TOO_LARGE/);
    expect(await messagesIn(topic)).toBe(3);
    expect(await setAsideCount(topic)).toBe(1);
  });

  it('keeps the rows of a missing topic, backs off instead of spinning, and publishes once it exists', async () => {
    const topic = `test.${uniqueName('missing')}`;
    createdTopics.push(topic);
    const id = await insertRow(topic, { n: 1 });

    await startRelay();

    await waitFor(() => relay.currentState() === 'failing', {
      timeoutMs: 60_000,
      what: 'the relay to report failing',
    });
    const { rows } = await db.pool.query<{ published_at: Date | null; set_aside_at: Date | null }>(
      'SELECT published_at, set_aside_at FROM outbox WHERE id = $1',
      [id],
    );
    expect(rows[0]).toEqual({ published_at: null, set_aside_at: null });

    await createTopics(kafka, [topic]);

    await waitFor(
      async () =>
        (await db.pool.query('SELECT 1 FROM outbox WHERE id = $1 AND published_at IS NOT NULL', [id]))
          .rowCount === 1,
      { timeoutMs: 60_000, what: 'the row published once its topic exists' },
    );
    expect(await messagesIn(topic)).toBe(1);
    expect(relay.currentState()).toBe('leader');
  });

  it('publishes what is committed before stop() returns', async () => {
    const topic = `test.${uniqueName('flush')}`;
    createdTopics.push(topic);
    await createTopics(kafka, [topic]);
    await startRelay();
    await waitFor(() => relay.isLeader(), { what: 'the relay to lead' });

    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await insertRow(topic, { n: i }));
    await relay.stop(10_000);

    const { rows } = await db.pool.query<{ unpublished: string }>(
      'SELECT count(*) AS unpublished FROM outbox WHERE published_at IS NULL',
    );
    expect(Number(rows[0].unpublished)).toBe(0);
    expect(await messagesIn(topic)).toBe(ids.length);
  });
});
