import { randomUUID } from 'node:crypto';
import { Kafka } from 'kafkajs';
import { EventEnvelope, createEnvelope } from '@payflow/contracts';
import { inTransaction } from '@payflow/platform/database';
import { OutboxRelay, OutboxWriter, createMessagingTablesSql, watchOutboxCommits } from '@payflow/platform/outbox';
import { TestSchema, createTestSchema, kafkaBrokers, uniqueName, waitFor } from '@payflow/platform/testing';
import {
  BATCH_PATTERN_PREFIX,
  KafkaInboxOptions,
  KafkaInboxServer,
  createConsumerOffsetsTableSql,
  createKafka,
  ensureTopics,
} from '../src';

/** Table the test handlers write to: what was applied, in which order. */
export const APPLIED_TABLE_SQL = (schema: string) =>
  `CREATE TABLE "${schema}".applied (
     seq bigserial PRIMARY KEY, event_id uuid NOT NULL, aggregate_id text NOT NULL, version int NOT NULL)`;

export const TEST_EVENT = 'test.happened';

/** The platform tests carry their own event type; services validate against libs/contracts. */
export function acceptTestEvents(raw: unknown) {
  const event = raw as EventEnvelope;
  if (typeof event?.id === 'string' && typeof event?.type === 'string' && event.type.startsWith('test.')) {
    return { ok: true as const, event };
  }
  return { ok: false as const, errors: ['type: not a test event'] };
}

export function testEvent(aggregateId: string, version: number): EventEnvelope {
  return createEnvelope({
    type: TEST_EVENT,
    source: 'platform-test',
    aggregate_type: 'thing',
    aggregate_id: aggregateId,
    aggregate_version: version,
    merchant_id: 'mer_test',
    data: { n: version },
  });
}

/** A fresh topic and its dead-letter topic. */
async function createTestTopic(kafka: Kafka, prefix: string): Promise<string> {
  const topic = `test.${uniqueName(prefix)}`;
  await ensureTopics(kafka, [topic, `${topic}.dlq`], 6);
  return topic;
}

export class MessagingFixture {
  /** `kafka` defaults to the test run's broker; a test that stops its broker passes a client of its own. */
  constructor(readonly kafka: Kafka = createKafka(uniqueName('test'), kafkaBrokers())) {}

  readonly relays: OutboxRelay[] = [];
  readonly servers: KafkaInboxServer[] = [];
  writer!: OutboxWriter;
  db!: TestSchema;
  topic!: string;

  async setUp(prefix: string): Promise<void> {
    this.db = await createTestSchema(prefix, (schema) => [
      ...createMessagingTablesSql(schema),
      ...createConsumerOffsetsTableSql(schema),
      APPLIED_TABLE_SQL(schema),
    ]);
    this.topic = await createTestTopic(this.kafka, prefix);
    this.writer = new OutboxWriter(this.db.schema);
  }

  relay(overrides: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}): OutboxRelay {
    const relay = new OutboxRelay({
      schema: this.db.schema,
      pool: this.db.pool,
      connectionString: this.db.url,
      kafka: this.kafka,
      pollIntervalMs: 200,
      standbyRetryMs: 200,
      ...overrides,
    });
    this.relays.push(relay);
    watchOutboxCommits(this.db.dataSource, () => relay.announce());
    return relay;
  }

  server(overrides: Partial<KafkaInboxOptions> = {}): KafkaInboxServer {
    const server = new KafkaInboxServer({
      kafka: this.kafka,
      consumer: `${this.db.schema}-consumer`,
      topics: [this.topic],
      dataSource: this.db.dataSource,
      schema: this.db.schema,
      retryBackoffMs: 10,
      maxAttempts: 3,
      validate: acceptTestEvents,
      ...overrides,
    });
    this.servers.push(server);
    return server;
  }

  /**
   * A started consumer whose `handler` takes every test event (or, with `batch`, every batch of
   * them, as `@BatchEventPattern` does), once its partitions are assigned.
   */
  async startConsumer(
    handler: (payload: never, ctx: never) => Promise<void>,
    { batch = false, ...overrides }: Partial<KafkaInboxOptions> & { batch?: boolean } = {},
  ): Promise<KafkaInboxServer> {
    const server = this.server(overrides);
    server.addHandler(batch ? `${BATCH_PATTERN_PREFIX}${this.topic}` : TEST_EVENT, handler as never, true);
    await new Promise<void>((resolve, reject) => server.listen((error) => (error ? reject(error) : resolve())));
    await waitFor(() => server.isReady(), { what: 'partitions assigned' });
    return server;
  }

  /** Waits until the consumer group has committed, on every partition, the end of the topic. */
  async waitUntilCaughtUp(groupId = `${this.db.schema}-consumer`): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(this.topic);
      await waitFor(
        async () => {
          const [committed] = await admin.fetchOffsets({ groupId, topics: [this.topic] });
          // An empty partition has nothing to commit.
          return ends.every(
            (end) => end.high === '0' || committed.partitions.find((p) => p.partition === end.partition)?.offset === end.high,
          );
        },
        { what: 'the consumer to commit the end of every partition' },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** A handler that records each applied event in the `applied` table, in the inbox transaction. */
  recordingHandler() {
    return async (event: EventEnvelope, ctx: { tx: { query: (sql: string, p: unknown[]) => Promise<unknown> } }) => {
      await ctx.tx.query(`INSERT INTO "${this.db.schema}".applied (event_id, aggregate_id, version) VALUES ($1, $2, $3)`, [
        event.id,
        event.aggregate_id,
        event.aggregate_version,
      ]);
    };
  }

  async write(events: EventEnvelope[]): Promise<void> {
    await inTransaction(this.db.dataSource, (tx) =>
      this.writer.append(
        tx,
        events.map((event) => ({ topic: this.topic, event })),
      ),
    );
  }

  async appliedCount(): Promise<number> {
    const { rows } = await this.db.pool.query(`SELECT count(*)::int AS n FROM "${this.db.schema}".applied`);
    return rows[0].n;
  }

  async unpublishedCount(): Promise<number> {
    const { rows } = await this.db.pool.query(
      `SELECT count(*)::int AS n FROM "${this.db.schema}".outbox WHERE published_at IS NULL`,
    );
    return rows[0].n;
  }

  /** Reads the topic's dead-letter topic until `expected` letters arrived: key, error and reason of each. */
  async deadLetters(expected: number): Promise<{ key: string; error: string; reason: string; attempts: string }[]> {
    const dlq = this.kafka.consumer({ groupId: uniqueName(`${this.db.schema}-dlq-reader`) });
    const dead: { key: string; error: string; reason: string; attempts: string }[] = [];
    await dlq.connect();
    try {
      await dlq.subscribe({ topic: `${this.topic}.dlq`, fromBeginning: true });
      await dlq.run({
        eachMessage: async ({ message }) => {
          dead.push({
            key: message.key!.toString(),
            error: message.headers!['dlq-error']!.toString(),
            reason: message.headers!['dlq-reason']!.toString(),
            attempts: message.headers!['dlq-attempts']!.toString(),
          });
        },
      });
      await waitFor(() => dead.length >= expected, { what: `${expected} dead letters` });
    } finally {
      await dlq.disconnect();
    }
    return dead;
  }

  /** How many messages the dead-letter topic holds (its partitions' high watermarks). */
  async deadLetterCount(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(`${this.topic}.dlq`);
      return offsets.reduce((sum, p) => sum + Number(p.high) - Number(p.low), 0);
    } finally {
      await admin.disconnect();
    }
  }

  async tearDown(): Promise<void> {
    for (const server of this.servers) await server.close().catch(() => undefined);
    for (const relay of this.relays) await relay.stop().catch(() => undefined);
    await this.db?.drop();
  }
}

export { randomUUID };
