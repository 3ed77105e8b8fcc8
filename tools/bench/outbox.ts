/**
 * bench:outbox — events through the outbox into Kafka and back through the inbox, end to end.
 * Phase 1: 8 concurrent writers, 10 events per transaction, as fast as they go → events/s and
 * commit-to-consume lag. Phase 2: a steady 1,000 events/s, one event per transaction → p99 lag.
 * Checks that every event was applied exactly once before printing its JSON line.
 */
import { randomUUID } from 'node:crypto';
import { createEnvelope, EventEnvelope } from '@payflow/contracts';
import { inTransaction } from '@payflow/platform/database';
import { KafkaInboxServer, createConsumerOffsetsTableSql, createKafka, ensureTopics } from '@payflow/platform/messaging';
import { OutboxRelay, OutboxWriter, createMessagingTablesSql, watchOutboxCommits } from '@payflow/platform/outbox';
import { createTestSchema, kafkaBrokers, uniqueName } from '@payflow/platform/testing';
import { percentile, progress, round } from './stats';

const WRITERS = 8;
const EVENTS_PER_TX = 10;
const BURST_EVENTS = Number(process.env['BENCH_OUTBOX_EVENTS'] ?? 50_000);
const STEADY_RATE = 1_000;
const STEADY_SECONDS = Number(process.env['BENCH_OUTBOX_STEADY_SECONDS'] ?? 10);

const committedAt = new Map<string, number>();
const consumedAt = new Map<string, number>();
let duplicates = 0;

function event(aggregate: number, version: number): EventEnvelope {
  return createEnvelope({
    type: 'bench.happened', source: 'bench', aggregate_type: 'thing', aggregate_id: `agg-${aggregate}`,
    aggregate_version: version, merchant_id: 'mer_bench', data: { n: version }, id: randomUUID(),
  });
}

async function waitUntil(check: () => boolean, what: string, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function lags(ids: string[]): number[] {
  return ids.map((id) => consumedAt.get(id)! - committedAt.get(id)!);
}

async function main(): Promise<void> {
  const kafka = createKafka(uniqueName('bench-outbox'), kafkaBrokers());
  const db = await createTestSchema('bench_outbox', (schema) => [
    ...createMessagingTablesSql(schema),
    ...createConsumerOffsetsTableSql(schema),
  ]);
  const topic = `bench.${uniqueName('outbox')}`;
  await ensureTopics(kafka, [topic, `${topic}.dlq`], 6);
  const writer = new OutboxWriter(db.schema);
  const relay = new OutboxRelay({ schema: db.schema, pool: db.pool, connectionString: db.url, kafka, batchSize: 1_000 });
  const server = new KafkaInboxServer({
    kafka, consumer: `${db.schema}-consumer`, topics: [topic], dataSource: db.dataSource, schema: db.schema,
    validate: (raw) => ({ ok: true, event: raw as EventEnvelope }),
  });
  server.addHandler('bench.happened', (async (e: EventEnvelope) => {
    if (consumedAt.has(e.id)) duplicates++;
    consumedAt.set(e.id, Date.now());
  }) as never, true);
  try {
    await new Promise<void>((resolve, reject) => server.listen((error) => (error ? reject(error) : resolve())));
    await waitUntil(() => server.isReady(), 'partitions assigned', 60_000);
    watchOutboxCommits(db.dataSource, () => relay.announce());
    await relay.start();

    const write = async (events: EventEnvelope[]) => {
      await inTransaction(db.dataSource, (tx) => writer.append(tx, events.map((e) => ({ topic, event: e }))));
      const now = Date.now();
      for (const e of events) committedAt.set(e.id, now);
    };

    progress(`phase 1: ${BURST_EVENTS} events, ${WRITERS} writers, ${EVENTS_PER_TX} per transaction`);
    const burstIds: string[] = [];
    const started = Date.now();
    const perWriter = Math.ceil(BURST_EVENTS / WRITERS);
    await Promise.all(
      Array.from({ length: WRITERS }, async (_, w) => {
        for (let i = 0; i < perWriter; i += EVENTS_PER_TX) {
          const batch = Array.from({ length: Math.min(EVENTS_PER_TX, perWriter - i) }, (_, k) => event(w * 1000 + (i % 100), i + k));
          burstIds.push(...batch.map((e) => e.id));
          await write(batch);
          if (w === 0 && i % 5_000 === 0) progress(`  written ${i * WRITERS}`);
        }
      }),
    );
    await waitUntil(() => burstIds.every((id) => consumedAt.has(id)), 'phase 1 to be consumed');
    const burstSeconds = (Math.max(...burstIds.map((id) => consumedAt.get(id)!)) - started) / 1000;
    const burstRate = burstIds.length / burstSeconds;
    const burstLags = lags(burstIds);
    progress(`phase 1: ${round(burstRate, 0)} events/s, p50 lag ${percentile(burstLags, 50)} ms, p99 ${percentile(burstLags, 99)} ms`);

    progress(`phase 2: steady ${STEADY_RATE} events/s for ${STEADY_SECONDS} s, 1 per transaction`);
    const steadyIds: string[] = [];
    const steadyStart = Date.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < STEADY_RATE * STEADY_SECONDS; i++) {
      const due = steadyStart + (i * 1000) / STEADY_RATE;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const e = event(i % 50, i);
      steadyIds.push(e.id);
      inflight.push(write([e]));
    }
    await Promise.all(inflight);
    await waitUntil(() => steadyIds.every((id) => consumedAt.has(id)), 'phase 2 to be consumed');
    const steadyLags = lags(steadyIds);
    const achieved = steadyIds.length / ((Date.now() - steadyStart) / 1000);

    // Where the lag goes: outbox insert → Kafka acknowledgement (the relay's share).
    const { rows: published } = await db.pool.query(
      `SELECT extract(epoch FROM published_at - created_at) * 1000 AS ms FROM "${db.schema}".outbox WHERE event_id = ANY($1::uuid[])`,
      [steadyIds],
    );
    const publishLags = published.map((r) => Number(r.ms));
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n, count(DISTINCT event_id)::int AS d FROM "${db.schema}".inbox`);
    const expected = burstIds.length + steadyIds.length;
    if (rows[0].n !== expected || rows[0].d !== expected || duplicates !== 0) {
      throw new Error(`exactly-once check failed: inbox ${rows[0].n} rows (${rows[0].d} distinct), ${duplicates} duplicate applications, expected ${expected}`);
    }
    progress(`checked: ${expected} events applied exactly once`);
    process.stdout.write(
      `${JSON.stringify({
        name: 'outbox_end_to_end',
        value: round(burstRate, 0),
        unit: 'events/s',
        writers: WRITERS,
        events_per_tx: EVENTS_PER_TX,
        events: burstIds.length,
        p50_lag_ms: percentile(burstLags, 50),
        p99_lag_ms: percentile(burstLags, 99),
        steady_rate_target: STEADY_RATE,
        steady_rate_achieved: round(achieved, 0),
        steady_p50_lag_ms: percentile(steadyLags, 50),
        steady_p99_lag_ms: percentile(steadyLags, 99),
        steady_p99_publish_lag_ms: round(percentile(publishLags, 99)),
      })}\n`,
    );
  } finally {
    await server.close();
    await relay.stop();
    await db.drop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:outbox failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
