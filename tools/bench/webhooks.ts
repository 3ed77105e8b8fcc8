/**
 * bench:webhooks — PSP webhook ingestion. Starts the webhooks service, posts signed Stripe events
 * (and some signed Adyen notifications) straight to it with autocannon — a share of them
 * duplicates, as PSPs resend — then checks that every distinct event was stored exactly once and
 * published exactly once (one outbox row each, all relayed to Kafka). The value is verified
 * events acknowledged per second; p99 is the acknowledgement latency seen by the sender.
 */
import { randomBytes } from 'node:crypto';
import { hmacValidator } from '@adyen/api-library';
import autocannon from 'autocannon';
import { Pool } from 'pg';
import Stripe from 'stripe';
import { startPlatform } from '../dev/platform';
import { progress, round } from './stats';

const POSTS = Number(process.env['BENCH_WEBHOOKS_POSTS'] ?? 40_000);
const WARMUP_POSTS = Number(process.env['BENCH_WEBHOOKS_WARMUP'] ?? 3_000);
const CONNECTIONS = Number(process.env['BENCH_WEBHOOKS_CONNECTIONS'] ?? 32);
const DUPLICATE_SHARE = 0.2;
const ADYEN_SHARE = 0.1;
const run = randomBytes(4).toString('hex');
/** Warm-up events get another prefix, so the checks below count only the measured ones. */
let prefix = `${run}w`;
const stripeSecret = `whsec_bench_${randomBytes(16).toString('hex')}`;
const adyenKey = randomBytes(32).toString('hex').toUpperCase();
const adyen = new hmacValidator();

interface Post {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** One signed Stripe `payment_intent.succeeded` event about a PayFlow intent. */
function stripePost(n: number, timestamp: number): Post {
  const body = JSON.stringify({
    id: `evt_b${prefix}s${n}`,
    object: 'event',
    api_version: '2025-01-27.acacia',
    created: timestamp,
    type: 'payment_intent.succeeded',
    livemode: false,
    data: {
      object: {
        id: `pi_3b${prefix}s${n}`,
        object: 'payment_intent',
        amount: 1_000 + (n % 9_000),
        amount_received: 1_000 + (n % 9_000),
        currency: 'usd',
        status: 'succeeded',
        metadata: { payflow_intent_id: `pi_b${prefix}s${n}`, payflow_attempt_id: `att_b${prefix}s${n}` },
      },
    },
  });
  return {
    path: '/webhooks/stripe',
    headers: {
      'content-type': 'application/json',
      'stripe-signature': Stripe.webhooks.generateTestHeaderString({
        payload: body,
        secret: stripeSecret,
        timestamp,
      }),
    },
    body,
  };
}

/** One signed Adyen AUTHORISATION notification (one item, as Adyen mostly sends them). */
function adyenPost(n: number): Post {
  const item = {
    amount: { currency: 'EUR', value: 1_000 + (n % 9_000) },
    eventCode: 'AUTHORISATION',
    eventDate: new Date().toISOString(),
    merchantAccountCode: 'PayFlowBench',
    merchantReference: `att_b${prefix}a${n}`,
    pspReference: `B${prefix}A${n}`.toUpperCase(),
    success: 'true',
    additionalData: { 'metadata.payflow_intent_id': `pi_b${prefix}a${n}` } as Record<string, string>,
  };
  item.additionalData['hmacSignature'] = adyen.calculateHmac(item as never, adyenKey);
  return {
    path: '/webhooks/adyen',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ live: 'false', notificationItems: [{ NotificationRequestItem: item }] }),
  };
}

/** `count` posts: distinct events, then a DUPLICATE_SHARE of resends of earlier ones, shuffled in. */
function posts(
  count: number,
  first: number,
): { list: Post[]; distinct: number; stripe: number; adyen: number } {
  const distinct = Math.round(count * (1 - DUPLICATE_SHARE));
  const timestamp = Math.floor(Date.now() / 1000);
  const unique: Post[] = [];
  let stripe = 0;
  let adyenCount = 0;
  for (let i = 0; i < distinct; i++) {
    const n = first + i;
    if (i % Math.round(1 / ADYEN_SHARE) === 0) {
      unique.push(adyenPost(n));
      adyenCount++;
    } else {
      unique.push(stripePost(n, timestamp));
      stripe++;
    }
  }
  const list = [...unique];
  // A resend comes some time after its original: inserted after it, at a random later place.
  for (let i = 0; i < count - distinct; i++) {
    const original = Math.floor(Math.random() * distinct);
    const at = original + 1 + Math.floor(Math.random() * (list.length - original));
    list.splice(at, 0, unique[original]);
  }
  return { list, distinct, stripe, adyen: adyenCount };
}

/**
 * Sends every post. `seconds` runs from the start to the last answer: autocannon itself notices it
 * is done only at its next one-second tick, so its own duration overstates the run by up to 1 s.
 */
async function fire(
  url: string,
  list: Post[],
  connections: number,
): Promise<{ result: autocannon.Result; seconds: number }> {
  let next = 0;
  const started = performance.now();
  let lastAnswer = started;
  const result = await autocannon({
    url,
    connections,
    amount: list.length,
    timeout: 10,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const post = list[next++ % list.length];
          return { ...request, method: 'POST', path: post.path, headers: post.headers, body: post.body };
        },
        onResponse: () => {
          lastAnswer = performance.now();
        },
      },
    ],
  });
  return { result, seconds: (lastAnswer - started) / 1000 };
}

/** Group commit at work, from the service's own histograms (warm-up included). */
async function commitStats(
  url: string,
): Promise<{ count: number; eventsPerCommit: number; msPerCommit: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name}(?:{[^}]*})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const count = value('webhooks_psp_commit_batch_events_count');
  return {
    count,
    eventsPerCommit: value('webhooks_psp_commit_batch_events_sum') / count,
    msPerCommit:
      (value('webhooks_psp_commit_seconds_sum') / value('webhooks_psp_commit_seconds_count')) * 1000,
  };
}

async function main(): Promise<void> {
  const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 2 });
  progress('starting the webhooks service');
  const platform = await startPlatform(
    {
      LOG_LEVEL: 'warn',
      STRIPE_WEBHOOK_SECRET: stripeSecret,
      ADYEN_HMAC_KEY: adyenKey,
      // BENCH_WEBHOOKS_CPU_PROFILE=<dir>: the service writes a V8 CPU profile there when it stops.
      ...(process.env['BENCH_WEBHOOKS_CPU_PROFILE']
        ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${process.env['BENCH_WEBHOOKS_CPU_PROFILE']}` }
        : {}),
    },
    ['webhooks'],
  );
  const url = platform.urls['webhooks'];
  try {
    progress(`warm-up: ${WARMUP_POSTS} posts`);
    await fire(url, posts(WARMUP_POSTS, 0).list, CONNECTIONS);

    prefix = `${run}m`;
    const load = posts(POSTS, 0);
    progress(
      `measured: ${load.list.length} posts (${load.distinct} distinct: ${load.stripe} Stripe, ${load.adyen} Adyen; ${load.list.length - load.distinct} duplicates), ${CONNECTIONS} connections`,
    );
    const { result, seconds } = await fire(url, load.list, CONNECTIONS);
    const acknowledged = result['2xx'];
    const rate = acknowledged / seconds;
    progress(
      `${acknowledged}/${result.requests.sent} acknowledged 2xx in ${round(seconds, 2)} s: ${round(rate, 0)}/s; p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms; non-2xx ${result.non2xx}, errors ${result.errors}, timeouts ${result.timeouts}`,
    );
    if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0)
      throw new Error('some posts were not acknowledged');

    // Every distinct event stored once, published once (one outbox row, relayed to Kafka).
    const pattern = [`evt_b${prefix}s%`, `AUTHORISATION:B${prefix.toUpperCase()}A%`];
    const count = async (sql: string) => Number((await admin.query(sql, pattern)).rows[0].n);
    const stored = await count(
      `SELECT count(*) AS n FROM webhooks.received_psp_events WHERE psp_event_id LIKE $1 OR psp_event_id LIKE $2`,
    );
    const outboxSql = `SELECT count(*) AS n FROM webhooks.outbox
       WHERE event_type = 'psp.notification_received' AND (payload->'data'->>'psp_event_id' LIKE $1 OR payload->'data'->>'psp_event_id' LIKE $2)`;
    const outboxRows = await count(outboxSql);
    let relayed = 0;
    const deadline = Date.now() + 120_000;
    while (
      (relayed = await count(`${outboxSql} AND published_at IS NOT NULL`)) < outboxRows &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    progress(
      `stored ${stored}, outbox ${outboxRows}, relayed to Kafka ${relayed} (distinct ${load.distinct})`,
    );
    const commits = await commitStats(url);
    progress(
      `storing transactions: ${commits.count}, ${round(commits.eventsPerCommit, 1)} events and ${round(commits.msPerCommit, 1)} ms each on average`,
    );
    if (stored !== load.distinct || outboxRows !== load.distinct || relayed !== load.distinct) {
      throw new Error(`expected ${load.distinct} stored, in the outbox and relayed exactly once`);
    }

    process.stdout.write(
      `${JSON.stringify({
        name: 'webhooks_ingest',
        value: round(rate, 0),
        unit: 'events/s',
        p50_ack_ms: result.latency.p50,
        p99_ack_ms: result.latency.p99,
        max_ack_ms: result.latency.max,
        posts: acknowledged,
        distinct: load.distinct,
        duplicates: acknowledged - load.distinct,
        stripe: load.stripe,
        adyen: load.adyen,
        connections: CONNECTIONS,
        stored_once: true,
        published_once: true,
      })}\n`,
    );
  } finally {
    await platform.stop();
    await admin.end();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:webhooks failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
