import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Kafka } from 'kafkajs';
import { DataSource } from 'typeorm';
import { TOPICS, TOPIC_PARTITIONS } from '@payflow/contracts';
import { createKafka, ensureTopics } from '@payflow/platform/messaging';
import { OutboxWriter } from '@payflow/platform/outbox';
import { adminDatabaseUrl, kafkaBrokers, uniqueName } from '@payflow/platform/testing';
import { BookWriter } from '../src/book/book-writer';
import { MoneyEvent } from '../src/posting-rules';
import { createScratchBook, schemaDataSource } from '../src/replay/scratch-book';
import { IntentStory, newId } from './money-events';

const ROOT = resolve(__dirname, '../../..');

/**
 * `npm run replay:ledger` against a book built, as the live one is, with the ledger's migrations and
 * BookWriter from the events of a topic of the test's own (its own prefix, so nothing else is on it).
 */
describe('replay:ledger', () => {
  const prefix = `${uniqueName('replay')}.`;
  const topic = `${prefix}${TOPICS.intents}`;
  const live = uniqueName('ledger_live');
  const copy = uniqueName('ledger_copy');
  let kafka: Kafka;
  let dataSource: DataSource;
  let stories: IntentStory[];

  const replay = async (...args: string[]) => {
    try {
      const { stdout } = await promisify(execFile)(
        'node_modules/.bin/tsx',
        ['apps/ledger/src/replay/replay-cli.ts', ...args],
        {
          cwd: ROOT,
          env: {
            ...process.env,
            KAFKA_TOPIC_PREFIX: prefix,
            KAFKA_BROKERS: kafkaBrokers(),
            DATABASE_URL: adminDatabaseUrl(),
            LEDGER_BATCH_SIZE: '3',
          },
        },
      );
      return { code: 0, lines: stdout.trim().split('\n') };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      if (failed.code !== 1) throw new Error(`replay:ledger exited ${failed.code}: ${failed.stderr}`);
      return { code: 1, lines: failed.stdout.trim().split('\n') };
    }
  };

  beforeAll(async () => {
    kafka = createKafka('replay-test', kafkaBrokers());
    await ensureTopics(kafka, [topic], TOPIC_PARTITIONS);
    dataSource = await schemaDataSource(adminDatabaseUrl(), live).initialize();
    await createScratchBook(dataSource, live);

    const merchant = newId('mer');
    const captured = new IntentStory(merchant, 10_000, 'USD');
    const canceled = new IntentStory(merchant, 2_500, 'EUR', 'adyen');
    const held = new IntentStory(newId('mer'), 700, 'JPY');
    const late = new IntentStory(merchant, 1_000, 'USD');
    // The PSP's last word: a reversed capture and refund, a new authorization and capture after them,
    // and a late success captured then refunded (and one that only held, which books nothing).
    const reversed = new IntentStory(merchant, 5_000, 'USD', 'adyen');
    const lateSuccess = new IntentStory(merchant, 3_000, 'EUR');
    stories = [captured, canceled, held, late, reversed, lateSuccess];
    const lateAuthorization = late.authorized();
    const events: MoneyEvent[] = [
      captured.authorized(),
      captured.captured(8_000),
      captured.refundSucceeded(3_000),
      canceled.authorized(),
      canceled.canceled(),
      held.authorized(),
      late.captured(1_000),
      lateAuthorization, // a redrive: the authorization after the capture
      reversed.authorized(),
      reversed.captured(5_000),
      reversed.refundSucceeded(1_000),
      reversed.captureReversed(5_000),
      reversed.refundReversed(),
      reversed.authorized(),
      reversed.captured(5_000),
      lateSuccess.lateSuccess(true, 3_000),
      lateSuccess.lateSuccess(false, 3_000),
      lateSuccess.lateSuccess(true, 0),
    ];
    const producer = kafka.producer();
    await producer.connect();
    for (const event of events) {
      await producer.send({ topic, messages: [{ key: event.aggregate_id, value: JSON.stringify(event) }] });
    }
    // Not JSON: the live consumer dead-letters it, the replay skips it.
    await producer.send({ topic, messages: [{ key: 'poison', value: 'not json' }] });
    await producer.disconnect();

    // The live book, booked one event per transaction (the replay books in chunks of 3).
    const writer = new BookWriter(new OutboxWriter(live));
    for (const event of events) await dataSource.transaction((tx) => writer.book(tx, [event]));
  });

  afterAll(async () => {
    await dataSource.query(`DROP SCHEMA IF EXISTS "${live}" CASCADE`);
    await dataSource.query(`DROP SCHEMA IF EXISTS "${copy}" CASCADE`);
    await dataSource.destroy();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [topic] });
    await admin.disconnect();
  });

  it('finds no difference between the book and its replay from the topic', async () => {
    const { code, lines } = await replay('--against', live);
    const report = JSON.parse(lines.at(-1)!);
    expect(report).toMatchObject({
      name: 'replay:ledger',
      differences: 0,
      events: 18,
      entries: 16,
      live_entries: 16,
      skipped_invalid: 1,
    });
    expect(lines).toHaveLength(1);
    expect(code).toBe(0);
    const [{ n }] = await dataSource.query(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1`, [
      report.scratch_schema,
    ]);
    expect(n).toBe(0);
    expect(stories).toHaveLength(6);
  });

  it('reports a posting changed by hand in a copy of the book, and exits 1', async () => {
    await dataSource.query(`CREATE SCHEMA "${copy}"`);
    for (const table of ['accounts', 'entries', 'postings']) {
      await dataSource.query(`CREATE TABLE "${copy}".${table} AS SELECT * FROM "${live}".${table}`);
    }
    const [changed] = await dataSource.query(
      `SELECT p.id, e.source_event_id::text, p.amount::text FROM "${copy}".postings p JOIN "${copy}".entries e ON e.id = p.entry_id
        WHERE e.kind = 'refund' AND p.direction = 'debit'`,
    );
    await dataSource.query(`UPDATE "${copy}".postings SET amount = amount + 1 WHERE id = $1`, [changed.id]);

    const { code, lines } = await replay('--against', copy);
    expect(code).toBe(1);
    const report = JSON.parse(lines.at(-1)!);
    expect(report).toMatchObject({ differences: 2, against: copy });
    expect(lines.slice(0, -1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `event ${changed.source_event_id}: posting "debit merchant_payable:mer_\\w+/USD 3000" is missing`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `event ${changed.source_event_id}: posting "debit merchant_payable:mer_\\w+/USD 3001" is in the book`,
        ),
      ),
    ]);
  });
});
