import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { EventEnvelope } from '@payflow/contracts';
import { InboxContext } from '../src';
import { waitFor } from '@payflow/platform/testing';
import { MessagingFixture, TEST_EVENT, testEvent } from './messaging-fixture';

const AGGREGATES = 50;
const EVENTS_PER_AGGREGATE = 100;
const WRITERS = 8;
const EVENTS_PER_TRANSACTION = 10;

describe('outbox → Kafka → inbox', () => {
  const fx = new MessagingFixture();
  let app: INestMicroservice;

  beforeAll(async () => {
    await fx.setUp('o2i');
    const record = fx.recordingHandler();

    @Controller()
    class RecordingController {
      @EventPattern(TEST_EVENT)
      async onHappened(@Payload() event: EventEnvelope, @Ctx() ctx: InboxContext) {
        await record(event, ctx);
      }
    }
    @Module({ controllers: [RecordingController] })
    class RecordingModule {}

    const moduleRef = await Test.createTestingModule({ imports: [RecordingModule] }).compile();
    const server = fx.server();
    app = moduleRef.createNestMicroservice({ strategy: server, logger: ['error', 'warn'] });
    await app.listen();
    await waitFor(() => server.isReady(), { what: 'partitions assigned' });
    await fx.relay().start();
  });

  afterAll(async () => {
    await app?.close();
    await fx.tearDown();
  });

  it(`applies ${AGGREGATES * EVENTS_PER_AGGREGATE} events from many transactions exactly once, in per-aggregate order`, async () => {
    // Each writer owns some aggregates and writes their events in version order, 10 per transaction,
    // so writes to one aggregate are serialised as a service's row lock would serialise them.
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      const mine = Array.from({ length: AGGREGATES }, (_, a) => a).filter((a) => a % WRITERS === w);
      const events = [];
      for (let version = 1; version <= EVENTS_PER_AGGREGATE; version++) {
        for (const a of mine) events.push(testEvent(`agg-${a}`, version));
      }
      for (let i = 0; i < events.length; i += EVENTS_PER_TRANSACTION) {
        await fx.write(events.slice(i, i + EVENTS_PER_TRANSACTION));
      }
    });
    await Promise.all(writers);

    const total = AGGREGATES * EVENTS_PER_AGGREGATE;
    await waitFor(async () => (await fx.appliedCount()) >= total, { timeoutMs: 90_000, what: `${total} applied events` });

    const { rows: duplicates } = await fx.db.pool.query(
      `SELECT event_id FROM "${fx.db.schema}".applied GROUP BY event_id HAVING count(*) > 1`,
    );
    expect(duplicates).toEqual([]);
    expect(await fx.appliedCount()).toBe(total);

    const { rows } = await fx.db.pool.query<{ aggregate_id: string; versions: number[] }>(
      `SELECT aggregate_id, array_agg(version ORDER BY seq) AS versions FROM "${fx.db.schema}".applied GROUP BY aggregate_id`,
    );
    expect(rows).toHaveLength(AGGREGATES);
    const expected = Array.from({ length: EVENTS_PER_AGGREGATE }, (_, i) => i + 1);
    for (const row of rows) expect(row.versions).toEqual(expected);
    expect(await fx.unpublishedCount()).toBe(0);
  });

  it('publishes nothing from a rolled-back transaction', async () => {
    const rolledBack = testEvent('agg-rollback', 1);
    await expect(
      fx.db.dataSource.transaction(async (tx) => {
        await fx.writer.append(tx, { topic: fx.topic, event: rolledBack });
        throw new Error('business rule refused');
      }),
    ).rejects.toThrow('business rule refused');

    // A committed event written afterwards arrives; the rolled-back one never does.
    const marker = testEvent('agg-rollback', 2);
    await fx.write([marker]);
    await waitFor(
      async () =>
        (await fx.db.pool.query(`SELECT 1 FROM "${fx.db.schema}".applied WHERE event_id = $1`, [marker.id])).rowCount,
      { what: 'the committed marker event' },
    );
    const { rowCount } = await fx.db.pool.query(
      `SELECT 1 FROM "${fx.db.schema}".applied WHERE event_id = $1
       UNION ALL SELECT 1 FROM "${fx.db.schema}".outbox WHERE event_id = $1`,
      [rolledBack.id],
    );
    expect(rowCount).toBe(0);
  });
});
