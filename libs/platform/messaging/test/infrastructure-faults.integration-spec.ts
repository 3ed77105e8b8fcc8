import { KafkaJSNonRetriableError } from 'kafkajs';
import { EventEnvelope } from '@payflow/contracts';
import {
  consumerInfrastructureRetriesTotal,
  consumerInfrastructureWaiting,
  consumerRestartsTotal,
} from '@payflow/platform/observability';
import { waitFor } from '@payflow/platform/testing';
import { InboxContext } from '../src';
import { MessagingFixture, TEST_EVENT, testEvent } from './messaging-fixture';

const MAX_ATTEMPTS = 3;
/** More failures than MAX_ATTEMPTS: had they counted, the event would have been dead-lettered. */
const OUTAGE_FAILURES = MAX_ATTEMPTS + 4;

async function exactlyOnce(fx: MessagingFixture, expected: number): Promise<void> {
  await waitFor(async () => (await fx.appliedCount()) >= expected, { timeoutMs: 60_000, what: `${expected} applied` });
  const { rows } = await fx.db.pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS distinct_n FROM "${fx.db.schema}".applied`,
  );
  expect(rows[0]).toEqual({ n: expected, distinct_n: expected });
}

async function metricSum(metric: { get(): Promise<{ values: { value: number; labels: object }[] }> }, labels: object) {
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}

/** An error as node-postgres reports a server that went away (no message pattern to lean on: only the code). */
function droppedConnection(code: '57P01' | '08006'): Error {
  return Object.assign(new Error(`server went away (${code})`), { code, severity: 'FATAL' });
}

describe('inbox transport under infrastructure faults', () => {
  let fx: MessagingFixture;

  beforeEach(async () => {
    fx = new MessagingFixture();
    await fx.setUp('faults');
  });

  afterEach(() => fx.tearDown());

  it(`retries errors carrying 57P01 / 08006 past CONSUMER_MAX_ATTEMPTS (${MAX_ATTEMPTS}) and applies the event once, dead-lettering nothing`, async () => {
    const record = fx.recordingHandler();
    const outage = testEvent('outage', 1);
    let failures = 0;
    await fx.startConsumer(
      async (event: EventEnvelope, ctx: InboxContext) => {
        if (event.id === outage.id && failures < OUTAGE_FAILURES) {
          failures++;
          throw droppedConnection(failures % 2 ? '57P01' : '08006');
        }
        await record(event, ctx);
      },
      { maxAttempts: MAX_ATTEMPTS, infrastructureBackoffMaxMs: 100 },
    );
    await fx.relay().start();
    await fx.write([outage, testEvent('healthy', 1)]);

    await exactlyOnce(fx, 2);
    expect(failures).toBe(OUTAGE_FAILURES);
    const consumer = `${fx.db.schema}-consumer`;
    expect(await metricSum(consumerInfrastructureRetriesTotal, { consumer, operation: 'apply' })).toBe(OUTAGE_FAILURES);
    // Once applied, the partition no longer shows as waiting.
    expect(await metricSum(consumerInfrastructureWaiting, { consumer })).toBe(0);
    expect(await fx.deadLetterCount()).toBe(0);
  });

  it("retries a handler whose transaction's backend is terminated (pg_terminate_backend) past CONSUMER_MAX_ATTEMPTS", async () => {
    const record = fx.recordingHandler();
    const event = testEvent('terminated', 1);
    let terminations = 0;
    await fx.startConsumer(
      async (e: EventEnvelope, ctx: InboxContext) => {
        if (terminations < OUTAGE_FAILURES) {
          terminations++;
          // The connection dies under the open transaction, as in a failover or a server restart.
          const [{ pid }] = await ctx.tx.query('SELECT pg_backend_pid() AS pid');
          await fx.db.pool.query('SELECT pg_terminate_backend($1)', [pid]);
          // Mostly, let the dead connection's 'error' reach TypeORM first: it then releases the query
          // runner, and the next query fails as "already released" instead of with 57P01 (both kinds
          // happen in a real outage, depending on which comes first).
          if (terminations % 3 !== 0) {
            await waitFor(() => ctx.tx.queryRunner?.isReleased === true, { what: 'the query runner released' });
          }
        }
        await record(e, ctx);
      },
      { maxAttempts: MAX_ATTEMPTS, infrastructureBackoffMaxMs: 100 },
    );
    await fx.relay().start();
    await fx.write([event]);

    await exactlyOnce(fx, 1);
    expect(terminations).toBe(OUTAGE_FAILURES);
    expect(await fx.deadLetterCount()).toBe(0);
  });

  it('counts a statement timeout (57014) as a handler failure: dead-lettered after CONSUMER_MAX_ATTEMPTS', async () => {
    const record = fx.recordingHandler();
    let slowTries = 0;
    await fx.startConsumer(
      async (event: EventEnvelope, ctx: InboxContext) => {
        if (event.aggregate_id === 'slow') {
          slowTries++;
          await ctx.tx.query(`SET LOCAL statement_timeout = '50ms'`);
          await ctx.tx.query('SELECT pg_sleep(1)');
        }
        await record(event, ctx);
      },
      { maxAttempts: MAX_ATTEMPTS },
    );
    await fx.relay().start();
    await fx.write([testEvent('slow', 1), testEvent('healthy', 1), testEvent('healthy', 2)]);

    await exactlyOnce(fx, 2);
    const dead = await fx.deadLetters(1);
    expect(dead).toEqual([
      { key: 'slow', reason: 'failed', attempts: String(MAX_ATTEMPTS), error: 'canceling statement due to statement timeout' },
    ]);
    // The whole chunk once, then the message alone MAX_ATTEMPTS times.
    expect(slowTries).toBe(1 + MAX_ATTEMPTS);
  });

  it('close() returns within its deadline while a partition waits out an outage, dead-lettering nothing', async () => {
    const server = await fx.startConsumer(
      async () => {
        throw droppedConnection('57P01');
      },
      { maxAttempts: MAX_ATTEMPTS, infrastructureBackoffMaxMs: 5_000 },
    );
    await fx.relay().start();
    await fx.write([testEvent('never', 1)]);
    const consumer = `${fx.db.schema}-consumer`;
    await waitFor(async () => (await metricSum(consumerInfrastructureWaiting, { consumer })) === 1, {
      what: 'the partition to wait out the outage',
    });
    await waitFor(async () => (await metricSum(consumerInfrastructureRetriesTotal, { consumer })) > MAX_ATTEMPTS, {
      what: 'more infrastructure retries than CONSUMER_MAX_ATTEMPTS',
    });

    const started = Date.now();
    await server.close(3_000);
    expect(Date.now() - started).toBeLessThan(3_500);
    expect(await fx.deadLetterCount()).toBe(0);
    expect(await fx.appliedCount()).toBe(0);
  });
});

describe('consumer crashes', () => {
  let fx: MessagingFixture;

  beforeEach(async () => {
    fx = new MessagingFixture();
    await fx.setUp('crash');
  });

  afterEach(() => fx.tearDown());

  it('restarts a consumer that crashed on a non-retriable error (kafkajs alone would leave it stopped)', async () => {
    const server = fx.server();
    server.addHandler(TEST_EVENT, fx.recordingHandler() as never, true);
    // The first batch throws a non-retriable error out of eachBatch (kafkajs retries anything else in
    // place): kafkajs crashes the consumer and, the error not being retriable, does not restart it.
    const internals = server as unknown as { seekedToStoredOffset: (...args: unknown[]) => Promise<boolean> };
    const original = internals.seekedToStoredOffset.bind(server);
    let crashes = 0;
    internals.seekedToStoredOffset = async (...args: unknown[]) => {
      if (crashes === 0) {
        crashes++;
        throw new KafkaJSNonRetriableError('a bug in the transport');
      }
      return original(...args);
    };
    const consumer = `${fx.db.schema}-consumer`;
    const restartsBefore = await metricSum(consumerRestartsTotal, { consumer, reason: 'non_retriable' });
    await new Promise<void>((resolve, reject) => server.listen((error) => (error ? reject(error) : resolve())));
    await fx.relay().start();
    await fx.write([testEvent('crash', 1), testEvent('crash', 2)]);

    await exactlyOnce(fx, 2);
    expect(crashes).toBe(1);
    expect((await metricSum(consumerRestartsTotal, { consumer, reason: 'non_retriable' })) - restartsBefore).toBe(1);
    await waitFor(() => server.isReady(), { what: 'the restarted consumer to hold its partitions' });
  });
});

describe('lost Kafka offsets', () => {
  let fx: MessagingFixture;

  beforeEach(async () => {
    fx = new MessagingFixture();
    await fx.setUp('lostoffsets');
  });

  afterEach(() => fx.tearDown());

  async function loseEverythingButTheStoredOffsets(server: { close(): Promise<void>; pruneInbox(before: Date): Promise<number> }) {
    await server.close();
    // The inbox rows are pruned (retention), then Kafka forgets the group (offsets expired or deleted).
    expect(await server.pruneInbox(new Date(Date.now() + 60_000))).toBe(300);
    const admin = fx.kafka.admin();
    await admin.connect();
    await admin.deleteGroups([`${fx.db.schema}-consumer`]);
    const [offsets] = await admin.fetchOffsets({ groupId: `${fx.db.schema}-consumer`, topics: [fx.topic] });
    await admin.disconnect();
    expect(offsets.partitions.every((p) => p.offset === '-1')).toBe(true);
  }

  function events(prefix: string, aggregates: number, perAggregate: number): EventEnvelope[] {
    const all: EventEnvelope[] = [];
    for (let v = 1; v <= perAggregate; v++) for (let a = 0; a < aggregates; a++) all.push(testEvent(`${prefix}-${a}`, v));
    return all;
  }

  it('applies nothing twice after the inbox was pruned and the group lost its offsets (per-event handler)', async () => {
    const record = fx.recordingHandler();
    const first = await fx.startConsumer(record as never);
    await fx.relay().start();
    await fx.write(events('before', 10, 30));
    await exactlyOnce(fx, 300);
    await loseEverythingButTheStoredOffsets(first);

    let handled = 0;
    await fx.startConsumer(async (event: EventEnvelope, ctx: InboxContext) => {
      handled++;
      await record(event, ctx);
    });
    await fx.write(events('after', 10, 2));
    await exactlyOnce(fx, 320);
    await fx.waitUntilCaughtUp();
    expect(handled).toBe(20);
    await exactlyOnce(fx, 320);
  });

  it('applies nothing twice after the inbox was pruned and the group lost its offsets (batch handler)', async () => {
    const record = fx.recordingHandler();
    const recordAll = async (batch: EventEnvelope[], ctx: InboxContext) => {
      for (const event of batch) await record(event, ctx);
    };
    const first = await fx.startConsumer(recordAll as never, { batch: true });
    await fx.relay().start();
    await fx.write(events('before', 10, 30));
    await exactlyOnce(fx, 300);
    await loseEverythingButTheStoredOffsets(first);

    let handled = 0;
    await fx.startConsumer(
      async (batch: EventEnvelope[], ctx: InboxContext) => {
        handled += batch.length;
        await recordAll(batch, ctx);
      },
      { batch: true },
    );
    await fx.write(events('after', 10, 2));
    await exactlyOnce(fx, 320);
    await fx.waitUntilCaughtUp();
    expect(handled).toBe(20);
    await exactlyOnce(fx, 320);
  });

  it('skips, inside the transaction, messages below the stored offset even when Kafka redelivers them', async () => {
    const record = fx.recordingHandler();
    const first = await fx.startConsumer(record as never);
    await fx.relay().start();
    await fx.write(events('stored', 5, 10));
    await exactlyOnce(fx, 50);
    await first.close();
    await first.pruneInbox(new Date(Date.now() + 60_000));

    // Kafka redelivers the whole topic (the group's offsets rewound to the start). Only the stored
    // offsets stand between it and re-applying; the forward seek on assignment is switched off so
    // this exercises the in-transaction guard alone.
    const admin = fx.kafka.admin();
    await admin.connect();
    await admin.resetOffsets({ groupId: `${fx.db.schema}-consumer`, topic: fx.topic, earliest: true });
    await admin.disconnect();
    let handled = 0;
    const second = fx.server();
    second.addHandler(
      TEST_EVENT,
      (async (event: EventEnvelope, ctx: InboxContext) => {
        handled++;
        await record(event, ctx);
      }) as never,
      true,
    );
    (second as unknown as { seekedToStoredOffset: () => Promise<boolean> }).seekedToStoredOffset = async () => false;
    await new Promise<void>((resolve, reject) => second.listen((error) => (error ? reject(error) : resolve())));
    await fx.waitUntilCaughtUp();
    expect(handled).toBe(0);
    await exactlyOnce(fx, 50);
  });
});

describe('a re-created topic', () => {
  let fx: MessagingFixture;

  beforeEach(async () => {
    fx = new MessagingFixture();
    await fx.setUp('recreated');
  });

  afterEach(() => fx.tearDown());

  it('resets stored offsets beyond the end of a re-created topic instead of skipping its new events', async () => {
    const record = fx.recordingHandler();
    const first = await fx.startConsumer(record as never);
    await fx.relay().start();
    const before: EventEnvelope[] = [];
    for (let a = 0; a < 12; a++) for (let v = 1; v <= 5; v++) before.push(testEvent(`old-${a}`, v));
    await fx.write(before);
    await exactlyOnce(fx, 60);
    await first.close();

    // The topic is deleted and created again: its offsets start from 0, below the stored ones.
    const admin = fx.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [fx.topic] });
    await waitFor(async () => !(await admin.listTopics()).includes(fx.topic), { what: 'the topic to be deleted' });
    await waitFor(() => admin.createTopics({ waitForLeaders: true, topics: [{ topic: fx.topic, numPartitions: 6 }] }), {
      timeoutMs: 60_000,
      intervalMs: 500,
      what: 'the topic to be created again',
    });
    await admin.disconnect();

    await fx.startConsumer(record as never);
    const after: EventEnvelope[] = [];
    for (let a = 0; a < 12; a++) after.push(testEvent(`new-${a}`, 1));
    await fx.write(after);
    await exactlyOnce(fx, 72);
  });
});

describe('inbox pruning', () => {
  let fx: MessagingFixture;

  beforeEach(async () => {
    fx = new MessagingFixture();
    await fx.setUp('prune');
  });

  afterEach(() => fx.tearDown());

  async function insertInboxRows(consumer: string, n: number, processedAt: string) {
    await fx.db.pool.query(
      `INSERT INTO "${fx.db.schema}".inbox (consumer, event_id, event_type, processed_at)
       SELECT $1, gen_random_uuid(), 'test.happened', $3::timestamptz FROM generate_series(1, $2)`,
      [consumer, n, processedAt],
    );
  }

  async function inboxCount(consumer: string): Promise<number> {
    const { rows } = await fx.db.pool.query(`SELECT count(*)::int AS n FROM "${fx.db.schema}".inbox WHERE consumer = $1`, [consumer]);
    return rows[0].n;
  }

  it("deletes a consumer's old rows in chunks, keeping recent rows and other consumers' rows", async () => {
    const { InboxStore } = await import('../src');
    const store = new InboxStore(fx.db.schema, 'mine');
    await insertInboxRows('mine', 23, '2020-01-01');
    await insertInboxRows('mine', 4, '2999-01-01');
    await insertInboxRows('theirs', 6, '2020-01-01');

    expect(await store.prune(fx.db.dataSource, new Date('2021-01-01'), 5)).toBe(23);
    expect(await inboxCount('mine')).toBe(4);
    expect(await inboxCount('theirs')).toBe(6);
  });

  it('prunes nothing while another replica is pruning the same consumer', async () => {
    const { InboxStore } = await import('../src');
    const store = new InboxStore(fx.db.schema, 'mine');
    await insertInboxRows('mine', 7, '2020-01-01');
    const other = await fx.db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtext('payflow.inbox-prune'), hashtext($1))`, [
        `"${fx.db.schema}".inbox:mine`,
      ]);
      expect(await store.prune(fx.db.dataSource, new Date('2021-01-01'))).toBe(0);
      await other.query('COMMIT');
    } finally {
      other.release();
    }
    expect(await store.prune(fx.db.dataSource, new Date('2021-01-01'))).toBe(7);
  });
});
