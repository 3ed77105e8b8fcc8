/**
 * bench:ledger — starts the ledger service, feeds capture/refund events through Kafka and measures
 * how fast they become balanced entries: (a) spread over 1,000 merchants, (b) every entry on one
 * merchant's accounts (hot accounts), and the event-to-booked latency at a steady rate. Runs
 * `verify` over the whole book before printing its JSON line.
 */
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';
import { EventEnvelope, TOPICS, createEvent } from '@payflow/contracts';
import { createKafka } from '@payflow/platform/messaging';
import { startPlatform } from '../dev/platform';
import { percentile, progress, round } from './stats';

const SPREAD_ENTRIES = Number(process.env['BENCH_LEDGER_ENTRIES'] ?? 40_000);
const HOT_ENTRIES = Number(process.env['BENCH_LEDGER_HOT_ENTRIES'] ?? 20_000);
const STEADY_RATE = 2_000;
const STEADY_SECONDS = 5;
const run = randomBytes(3).toString('hex');
const topic = `${process.env['KAFKA_TOPIC_PREFIX'] ?? ''}${TOPICS.intents}`;

let sequence = 0;
function intentObject(merchantId: string, id: string, amount: number) {
  const now = new Date().toISOString();
  return {
    id, object: 'payment_intent' as const, merchant_id: merchantId, amount, currency: 'USD', status: 'captured' as const,
    capture_method: 'manual' as const, amount_capturable: 0, amount_received: amount, amount_refunded: 0,
    payment_method: 'pm_card_visa', provider: 'stripe' as const, last_error: null, description: null, metadata: {},
    created: now, updated: now,
  };
}

/** N events for the given merchants: 80 % captures, 20 % refunds of half an earlier capture. */
function events(count: number, merchants: string[]): EventEnvelope[] {
  const out: EventEnvelope[] = [];
  const captured: { merchantId: string; intentId: string; amount: number }[] = [];
  for (let i = 0; i < count; i++) {
    const merchantId = merchants[i % merchants.length];
    if (i % 5 === 4 && captured.length > 0) {
      const c = captured.shift()!;
      const refund = {
        id: `re_${run}${++sequence}`, object: 'refund' as const, payment_intent: c.intentId, amount: Math.floor(c.amount / 2),
        currency: 'USD', status: 'succeeded' as const, reason: null, created: new Date().toISOString(),
      };
      out.push(createEvent({
        type: 'refund.succeeded', source: 'intents', aggregate_type: 'payment_intent', aggregate_id: c.intentId,
        aggregate_version: 2, merchant_id: c.merchantId, data: { refund, provider: 'stripe', amount: refund.amount, reason: null },
      }));
      continue;
    }
    const intentId = `pi_${run}${++sequence}`;
    const amount = 1_000 + (i % 9_000);
    captured.push({ merchantId, intentId, amount });
    out.push(createEvent({
      type: 'payment_intent.captured', source: 'intents', aggregate_type: 'payment_intent', aggregate_id: intentId,
      aggregate_version: 1, merchant_id: merchantId,
      data: { intent: intentObject(merchantId, intentId, amount), provider: 'stripe', amount_captured: amount, fee_bps: 290, fee_fixed: 30 },
    }));
  }
  return out;
}

async function main(): Promise<void> {
  const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 2 });
  const kafka = createKafka(`bench-ledger-${run}`, process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092');
  const producer = kafka.producer();
  progress('starting the ledger service');
  const platform = await startPlatform({ LOG_LEVEL: 'warn' }, ['ledger']);
  await producer.connect();

  const booked = async (merchantPrefix: string) => {
    const { rows } = await admin.query(`SELECT count(*)::int AS n FROM ledger.entries WHERE merchant_id LIKE $1`, [`${merchantPrefix}%`]);
    return rows[0].n as number;
  };
  const send = async (batch: EventEnvelope[]) => {
    await producer.send({
      topic,
      messages: batch.map((e) => ({ key: e.aggregate_id, value: JSON.stringify(e), headers: { 'event-id': e.id } })),
    });
  };

  /** Feeds `list` as fast as Kafka takes it and waits until every entry is booked. */
  const measure = async (label: string, list: EventEnvelope[], merchantPrefix: string) => {
    progress(`${label}: ${list.length} events`);
    const started = Date.now();
    for (let i = 0; i < list.length; i += 1_000) await send(list.slice(i, i + 1_000));
    let last = 0;
    for (;;) {
      const n = await booked(merchantPrefix);
      if (n >= list.length) break;
      if (n - last >= 5_000 || Date.now() % 5_000 < 200) progress(`  ${label}: ${n}/${list.length} booked`);
      last = n;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const { rows } = await admin.query(
      `SELECT extract(epoch FROM max(created_at)) * 1000 AS last_ms FROM ledger.entries WHERE merchant_id LIKE $1`,
      [`${merchantPrefix}%`],
    );
    const seconds = (Number(rows[0].last_ms) - started) / 1000;
    const rate = list.length / seconds;
    progress(`${label}: ${round(rate, 0)} entries/s`);
    return rate;
  };

  try {
    progress(`steady ${STEADY_RATE} events/s for ${STEADY_SECONDS} s`);
    const steady = events(STEADY_RATE * STEADY_SECONDS, Array.from({ length: 100 }, (_, i) => `mer_b${run}t${i}`));
    const start = Date.now();
    for (let i = 0; i < steady.length; i += STEADY_RATE / 50) {
      const due = start + (i / STEADY_RATE) * 1000;
      if (due > Date.now()) await new Promise((resolve) => setTimeout(resolve, due - Date.now()));
      await send(steady.slice(i, i + STEADY_RATE / 50).map((e) => ({ ...e, occurred_at: new Date().toISOString() })));
    }
    while ((await booked(`mer_b${run}t`)) < steady.length) await new Promise((resolve) => setTimeout(resolve, 100));
    const { rows: latency } = await admin.query(
      `SELECT extract(epoch FROM (created_at - occurred_at)) * 1000 AS ms FROM ledger.entries WHERE merchant_id LIKE $1`,
      [`mer_b${run}t%`],
    );
    const latencies = latency.map((r) => Number(r.ms));

    // Saturation after the latency phase, so its backlog (entries still being published) cannot
    // inflate the latency figures.
    const spreadMerchants = Array.from({ length: 1_000 }, (_, i) => `mer_b${run}s${i}`);
    const spreadRate = await measure('spread over 1,000 merchants', events(SPREAD_ENTRIES, spreadMerchants), `mer_b${run}s`);
    const hotRate = await measure('one hot merchant', events(HOT_ENTRIES, [`mer_b${run}hot`]), `mer_b${run}hot`);


    const verify = (await (await fetch(`${platform.urls['ledger']}/internal/v1/verify`, {
      headers: { 'x-internal-token': platform.env['INTERNAL_API_TOKEN'] },
    })).json()) as { balanced: boolean; violations: unknown[]; entries: number; postings: number };
    if (!verify.balanced) throw new Error(`ledger verify found violations: ${JSON.stringify(verify.violations)}`);
    progress(`verify: balanced, ${verify.entries} entries, ${verify.postings} postings`);
    process.stdout.write(
      `${JSON.stringify({
        name: 'ledger_booking',
        value: round(spreadRate, 0),
        unit: 'entries/s',
        merchants: 1_000,
        entries: SPREAD_ENTRIES,
        hot_merchant_entries_per_s: round(hotRate, 0),
        hot_entries: HOT_ENTRIES,
        steady_rate: STEADY_RATE,
        p50_event_to_booked_ms: round(percentile(latencies, 50)),
        p99_event_to_booked_ms: round(percentile(latencies, 99)),
        verify: 'balanced',
      })}\n`,
    );
  } finally {
    await producer.disconnect();
    await platform.stop();
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:ledger failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
