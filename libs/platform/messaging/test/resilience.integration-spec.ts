import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { EventEnvelope } from '@payflow/contracts';
import { waitFor } from '@payflow/platform/testing';
import { MessagingFixture, TEST_EVENT, testEvent } from './messaging-fixture';

const workspaceRoot = path.resolve(__dirname, '../../../..');

function eventsFor(aggregates: number, perAggregate: number, prefix: string): EventEnvelope[] {
  const events: EventEnvelope[] = [];
  for (let v = 1; v <= perAggregate; v++) for (let a = 0; a < aggregates; a++) events.push(testEvent(`${prefix}-${a}`, v));
  return events;
}

async function writeAll(fx: MessagingFixture, events: EventEnvelope[]): Promise<void> {
  for (let i = 0; i < events.length; i += 50) await fx.write(events.slice(i, i + 50));
}

async function exactlyOnce(fx: MessagingFixture, expected: number): Promise<void> {
  await waitFor(async () => (await fx.appliedCount()) >= expected, { timeoutMs: 60_000, what: `${expected} applied` });
  const { rows } = await fx.db.pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_n FROM "${fx.db.schema}".applied`,
  );
  expect(rows[0]).toEqual({ n: expected, distinct_n: expected });
}

async function startConsumer(fx: MessagingFixture, handler = fx.recordingHandler()) {
  const server = fx.server();
  server.addHandler(TEST_EVENT, handler as never, true);
  await new Promise<void>((resolve, reject) => server.listen((error) => (error ? reject(error) : resolve())));
  await waitFor(() => server.isReady(), { what: 'partitions assigned' });
  return server;
}

describe('outbox relay resilience', () => {
  let fx: MessagingFixture;

  beforeEach(async () => {
    fx = new MessagingFixture();
    await fx.setUp('relay');
  });

  afterEach(() => fx.tearDown());

  it('loses nothing when the relay process is killed mid-batch and another starts', async () => {
    await startConsumer(fx);
    const events = eventsFor(20, 100, 'kill');
    await writeAll(fx, events);

    let child: ChildProcess | null = spawn(
      'npx',
      ['tsx', path.join(__dirname, 'relay-process.ts'), fx.db.url, fx.db.schema, process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092', '50'],
      { cwd: workspaceRoot, stdio: 'ignore', detached: true },
    );
    // Kill it (SIGKILL, no clean-up at all) once it has published part of the outbox.
    await waitFor(async () => (await fx.unpublishedCount()) < events.length, { timeoutMs: 60_000, what: 'first batches' });
    process.kill(-child.pid!, 'SIGKILL');
    child = null;
    const leftBehind = await fx.unpublishedCount();
    expect(leftBehind).toBeGreaterThan(0);

    await fx.relay({ batchSize: 200 }).start();
    await exactlyOnce(fx, events.length);
  });

  it('recovers when the relay loses its database connections mid-batch', async () => {
    await startConsumer(fx);
    const relay = fx.relay({ batchSize: 25 });
    const events = eventsFor(10, 100, 'conn');
    await writeAll(fx, events);
    await relay.start();
    await waitFor(async () => (await fx.unpublishedCount()) < events.length, { what: 'first batches' });
    const { rowCount } = await fx.db.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`,
      [`${fx.db.schema}-relay`],
    );
    expect(rowCount).toBe(1);
    await exactlyOnce(fx, events.length);
    await waitFor(() => relay.isLeader(), { what: 'the relay to lead again' });
  });

  it('keeps one active relay of two, and the other takes over when it dies', async () => {
    await startConsumer(fx);
    const a = fx.relay();
    const b = fx.relay();
    await a.start();
    await waitFor(() => a.isLeader(), { what: 'relay a to lead' });
    await b.start();

    await writeAll(fx, eventsFor(5, 20, 'two'));
    await exactlyOnce(fx, 100);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);

    await a.stop();
    await waitFor(() => b.isLeader(), { what: 'relay b to take over' });
    await writeAll(fx, eventsFor(5, 20, 'after'));
    await exactlyOnce(fx, 200);
    expect(a.isLeader()).toBe(false);
  });
});

describe('inbox consumer resilience', () => {
  let fx: MessagingFixture;

  beforeEach(async () => {
    fx = new MessagingFixture();
    await fx.setUp('inbox');
  });

  afterEach(() => fx.tearDown());

  it('skips redelivered events through the inbox when offsets were not committed', async () => {
    const first = await startConsumer(fx);
    await fx.relay().start();
    await writeAll(fx, eventsFor(10, 30, 'redeliver'));
    await exactlyOnce(fx, 300);
    await first.close();

    // As if the consumer had died after its transactions but before committing offsets.
    const admin = fx.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `${fx.db.schema}-consumer`, topic: fx.topic, earliest: true });

    let handled = 0;
    const record = fx.recordingHandler();
    const second = await startConsumer(fx, async (event, ctx) => {
      handled++;
      await record(event, ctx);
    });
    // It has re-read everything once its committed offsets are back at the end of each partition.
    const ends = await admin.fetchTopicOffsets(fx.topic);
    await waitFor(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId: `${fx.db.schema}-consumer`, topics: [fx.topic] });
        return ends.every((end) => committed.partitions.find((p) => p.partition === end.partition)?.offset === end.high);
      },
      { what: 'the second consumer to re-read the topic' },
    );
    await admin.disconnect();
    await second.close();
    expect(handled).toBe(0);
    await exactlyOnce(fx, 300);
  });

  it('dead-letters a poison message with its error and moves on', async () => {
    const record = fx.recordingHandler();
    await startConsumer(fx, async (event, ctx) => {
      if (event.aggregate_id === 'poison') throw new Error('cannot apply poison');
      await record(event, ctx);
    });
    await fx.relay().start();

    const producer = fx.kafka.producer();
    await producer.connect();
    await producer.send({ topic: fx.topic, messages: [{ key: 'garbage', value: 'not json at all' }] });
    await producer.disconnect();
    await fx.write([testEvent('poison', 1), testEvent('healthy', 1), testEvent('healthy', 2)]);
    await exactlyOnce(fx, 2);

    const dlq = fx.kafka.consumer({ groupId: `${fx.db.schema}-dlq-reader` });
    const dead: { key: string; error: string; reason: string }[] = [];
    await dlq.connect();
    await dlq.subscribe({ topic: `${fx.topic}.dlq`, fromBeginning: true });
    await dlq.run({
      eachMessage: async ({ message }) => {
        dead.push({
          key: message.key!.toString(),
          error: message.headers!['dlq-error']!.toString(),
          reason: message.headers!['dlq-reason']!.toString(),
        });
      },
    });
    await waitFor(() => dead.length >= 2, { what: 'two dead letters' });
    await dlq.disconnect();
    expect(dead).toEqual(
      expect.arrayContaining([
        { key: 'garbage', error: 'value is not JSON', reason: 'invalid' },
        { key: 'poison', error: 'cannot apply poison', reason: 'failed' },
      ]),
    );
  });
});
