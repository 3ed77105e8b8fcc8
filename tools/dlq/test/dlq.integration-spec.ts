import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Message } from 'kafkajs';
import {
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  EventEnvelope,
  TOPICS,
  deadLetterTopicOf,
} from '@payflow/contracts';
import { consumerProcessedTotal } from '@payflow/platform/observability';
import { REDRIVEN_FOR_HEADER, ensureTopics, KafkaInboxServer } from '@payflow/platform/messaging';
import { kafkaBrokers, uniqueName, waitFor } from '@payflow/platform/testing';
import {
  MessagingFixture,
  TEST_EVENT,
  testEvent,
} from '../../../libs/platform/messaging/test/messaging-fixture';
import { readUpToCurrentEnd, topicEndOffsets } from '../bounded-read';
import { DlqSettings, dlqSettings } from '../dlq-config';
import { listDeadLetters } from '../list';
import { REDRIVEN_FROM_HEADER, redrive } from '../redrive';

const workspaceRoot = path.resolve(__dirname, '../../..');

/** Each run gets a prefix of its own, so the tool sees only this test's dead-letter topics. */
function isolatedSettings(): DlqSettings {
  return dlqSettings({ KAFKA_BROKERS: kafkaBrokers(), KAFKA_TOPIC_PREFIX: `test.${uniqueName('dlq')}.` });
}

async function startConsumer(fx: MessagingFixture, fragile: { broken: boolean }): Promise<KafkaInboxServer> {
  const server = fx.server();
  const record = fx.recordingHandler();
  server.addHandler(
    TEST_EVENT,
    (async (event: EventEnvelope, ctx: Parameters<typeof record>[1]) => {
      if (event.aggregate_id === 'fragile' && fragile.broken) throw new Error('fragile is broken today');
      await record(event, ctx);
    }) as never,
    true,
  );
  await new Promise<void>((resolve, reject) => server.listen((error) => (error ? reject(error) : resolve())));
  await waitFor(() => server.isReady(), { what: 'partitions assigned' });
  return server;
}

/** Published straight to the topic, as a relay would (this test is about what happens after). */
async function publish(fx: MessagingFixture, messages: Message[]): Promise<void> {
  const producer = fx.kafka.producer();
  await producer.connect();
  await producer.send({ topic: fx.topic, acks: -1, messages });
  await producer.disconnect();
}

async function appliedTimes(fx: MessagingFixture, eventId: string): Promise<number> {
  const { rows } = await fx.db.pool.query(
    `SELECT count(*)::int AS n FROM "${fx.db.schema}".applied WHERE event_id = $1`,
    [eventId],
  );
  return rows[0].n;
}

async function duplicatesSkipped(fx: MessagingFixture): Promise<number> {
  const { values } = await consumerProcessedTotal.get();
  return values
    .filter(
      (value) =>
        value.labels['consumer'] === `${fx.db.schema}-consumer` && value.labels['outcome'] === 'duplicate',
    )
    .reduce((sum, value) => sum + value.value, 0);
}

describe('npm run dlq', () => {
  let fx: MessagingFixture;
  let settings: DlqSettings;
  const fragile = { broken: true };

  beforeEach(async () => {
    fragile.broken = true;
    settings = isolatedSettings();
    fx = new MessagingFixture();
    await fx.setUp('dlq');
    // The fixture's topic, renamed to a real event topic under this run's prefix.
    fx.topic = `${settings.topicPrefix}${TOPICS.intents}`;
    await ensureTopics(fx.kafka, [fx.topic, deadLetterTopicOf(fx.topic as never)], 6);
  });

  afterEach(async () => {
    await fx.tearDown();
    const admin = fx.kafka.admin();
    await admin.connect();
    const mine = (await admin.listTopics()).filter((topic) => topic.startsWith(settings.topicPrefix));
    await admin.deleteTopics({ topics: mine }).catch(() => undefined);
    await admin.disconnect();
  });

  it('lists dead letters, redrives one that is applied exactly once, and skips it the second time', async () => {
    await startConsumer(fx, fragile);
    const doomed = testEvent('fragile', 1);
    await publish(fx, [
      ...[doomed, testEvent('sturdy', 1)].map((event) => ({
        key: event.aggregate_id,
        value: JSON.stringify(event),
        headers: { [EVENT_ID_HEADER]: event.id, [EVENT_TYPE_HEADER]: event.type },
      })),
      { key: 'garbage', value: 'not json at all' },
    ]);

    const listed = await waitFor(
      async () => {
        const listing = await listDeadLetters(fx.kafka, settings);
        return listing.deadLetters.length === 2 ? listing : null;
      },
      { timeoutMs: 60_000, what: 'two dead letters' },
    );
    const dead = listed.deadLetters.find((letter) => letter.eventId === doomed.id)!;
    expect(dead).toMatchObject({
      dlqTopic: `${fx.topic}.dlq`,
      originalTopic: fx.topic,
      type: TEST_EVENT,
      key: 'fragile',
      error: 'fragile is broken today',
      reason: 'failed',
      attempts: 3,
      consumer: `${fx.db.schema}-consumer`,
    });
    const poison = listed.deadLetters.find((letter) => letter.key === 'garbage')!;
    expect(poison).toMatchObject({ type: null, reason: 'invalid', error: 'value is not JSON' });
    expect(listed.redrives.size).toBe(0);
    expect(await appliedTimes(fx, doomed.id)).toBe(0);

    // The fault is fixed; a dry run changes nothing, the redrive applies it once.
    fragile.broken = false;
    const endsBefore = await topicEndOffsets(fx.kafka, fx.topic);
    const dryRun = await redrive(fx.kafka, settings, { dryRun: true });
    expect(dryRun.map((outcome) => [outcome.deadLetter.key, outcome.action])).toEqual(
      expect.arrayContaining([
        ['fragile', 'would_redrive'],
        ['garbage', 'skipped'],
      ]),
    );
    expect(await topicEndOffsets(fx.kafka, fx.topic)).toEqual(endsBefore);

    const first = await redrive(fx.kafka, settings, {});
    expect(
      first.filter((outcome) => outcome.action === 'redriven').map((outcome) => outcome.deadLetter.eventId),
    ).toEqual([doomed.id]);
    await waitFor(async () => (await appliedTimes(fx, doomed.id)) === 1, {
      what: 'the redriven event to be applied',
    });

    const republished = (
      await readUpToCurrentEnd(fx.kafka, [fx.topic], `${settings.readerGroupPrefix}.check`)
    ).find(({ message }) => message.headers?.[REDRIVEN_FROM_HEADER]?.toString() === dead.position);
    expect(republished?.partition).toBe(dead.originalPartition);
    expect(republished?.message.value?.toString()).toBe(JSON.stringify(doomed));
    expect(republished?.message.headers?.[EVENT_ID_HEADER]?.toString()).toBe(doomed.id);
    expect(republished?.message.headers?.[REDRIVEN_FOR_HEADER]?.toString()).toBe(`${fx.db.schema}-consumer`);
    expect(
      Object.keys(republished?.message.headers ?? {})
        .filter((name) => name.startsWith('dlq-'))
        .sort(),
    ).toEqual([REDRIVEN_FOR_HEADER, REDRIVEN_FROM_HEADER]);

    const after = await listDeadLetters(fx.kafka, settings);
    expect(after.redrives.get(dead.position)).toMatchObject({
      event_id: doomed.id,
      dead_letter: dead.position,
    });
    expect(after.redrives.has(poison.position)).toBe(false);

    // A second redrive republishes nothing.
    const endsAfterFirst = await topicEndOffsets(fx.kafka, fx.topic);
    const second = await redrive(fx.kafka, settings, {});
    expect(second.filter((outcome) => outcome.action === 'redriven')).toEqual([]);
    expect(second.find((outcome) => outcome.deadLetter.eventId === doomed.id)?.detail).toMatch(
      /already redriven/,
    );
    expect(await topicEndOffsets(fx.kafka, fx.topic)).toEqual(endsAfterFirst);

    // Forced with --again it is republished, and the consumer's inbox skips it.
    const skippedBefore = await duplicatesSkipped(fx);
    const again = await redrive(fx.kafka, settings, { again: true, ids: [doomed.id] });
    expect(again.map((outcome) => outcome.action)).toEqual(['redriven']);
    await waitFor(async () => (await duplicatesSkipped(fx)) > skippedBefore, {
      what: 'the inbox to skip the repeat',
    });
    expect(await appliedTimes(fx, doomed.id)).toBe(1);
    expect(await fx.appliedCount()).toBe(2);
  });

  it('redrives a value that is not an event only when named, and prints one JSON object per dead letter', async () => {
    await startConsumer(fx, fragile);
    await publish(fx, [{ key: 'garbage', value: '{{{' }]);
    const [poison] = await waitFor(
      async () => {
        const { deadLetters } = await listDeadLetters(fx.kafka, settings);
        return deadLetters.length === 1 ? deadLetters : null;
      },
      { timeoutMs: 60_000, what: 'the poison message to be dead-lettered' },
    );

    const endsBefore = await topicEndOffsets(fx.kafka, fx.topic);
    expect((await redrive(fx.kafka, settings, {})).map((outcome) => outcome.action)).toEqual(['skipped']);
    expect(await topicEndOffsets(fx.kafka, fx.topic)).toEqual(endsBefore);

    const named = await redrive(fx.kafka, settings, { positions: [poison.position] });
    expect(named.map((outcome) => outcome.action)).toEqual(['redriven']);
    const ends = await topicEndOffsets(fx.kafka, fx.topic);
    expect(Object.values(ends).reduce((a, b) => a + b, 0)).toBe(
      Object.values(endsBefore).reduce((a, b) => a + b, 0) + 1,
    );

    // The consumer dead-letters it again (still not JSON); the CLI lists both, the first as redriven.
    await waitFor(async () => (await listDeadLetters(fx.kafka, settings)).deadLetters.length === 2, {
      timeoutMs: 60_000,
      what: 'the redriven poison to be dead-lettered again',
    });
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'tools/dlq/dlq.ts', '--json'], {
      cwd: workspaceRoot,
      env: { ...process.env, KAFKA_BROKERS: settings.brokers, KAFKA_TOPIC_PREFIX: settings.topicPrefix },
    });
    const lines = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ position: poison.position, type: null, key: 'garbage', redriven: true });
    expect(lines[1]).toMatchObject({ type: null, key: 'garbage', redriven: false, reason: 'invalid' });
  });
});
