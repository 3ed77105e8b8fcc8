/**
 * bench:api — the public API under load, through the gateway: POST /v1/payment_intents at
 * saturation, GET /v1/payment_intents/{id} at saturation, and POST at a fixed 500 requests/s.
 * Load is spread over enough merchants that rate limits never bind (any 429 fails the run), and
 * every create is checked to exist afterwards.
 */
import autocannon, { Client, Result } from 'autocannon';
import { Pool } from 'pg';
import { startPlatform } from '../dev/platform';
import { progress, round } from './stats';

const CONNECTIONS = 40;
const SECONDS = Number(process.env['BENCH_API_SECONDS'] ?? 10);
const FIXED_RATE = 500;

interface Merchant {
  id: string;
  api_key: string;
  intentId?: string;
}

function run(options: autocannon.Options): Promise<Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
    autocannon.track(instance, { renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false, outputStream: process.stderr });
  });
}

function check(label: string, result: Result): void {
  const failures = result.non2xx + result.errors + result.timeouts;
  if (result.non2xx > 0) progress(`${label}: status codes ${JSON.stringify(result.statusCodeStats)}`);
  progress(`${label}: ${round(result.requests.average, 0)} req/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${failures} failures`);
  if (failures > 0) throw new Error(`${label}: ${result.non2xx} non-2xx (429 included), ${result.errors} errors, ${result.timeouts} timeouts`);
}

async function main(): Promise<void> {
  progress('starting ledger, intents and gateway');
  const platform = await startPlatform({ LOG_LEVEL: 'warn' }, ['ledger', 'intents', 'gateway']);
  const gateway = platform.urls['gateway'];
  const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 2 });
  try {
    const merchants: Merchant[] = [];
    for (let i = 0; i < CONNECTIONS; i++) {
      const response = await fetch(`${gateway}/admin/merchants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${platform.env['ADMIN_API_KEY']}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench ${i}` }),
      });
      const merchant = (await response.json()) as Merchant;
      if (response.status !== 201) throw new Error(`merchant creation failed: ${response.status} ${JSON.stringify(merchant)}`);
      merchants.push(merchant);
    }
    const body = JSON.stringify({ amount: 10_000, currency: 'USD', description: 'bench' });
    let next = 0;
    // Each connection is one merchant: its own key, so its own rate limit.
    const perConnection = (client: Client) => {
      const merchant = merchants[next++ % merchants.length];
      client.setRequests([
        {
          method: 'POST',
          path: '/v1/payment_intents',
          headers: { authorization: `Bearer ${merchant.api_key}`, 'content-type': 'application/json' },
          body,
        },
      ]);
    };

    progress(`creates at saturation: ${CONNECTIONS} connections, ${SECONDS} s`);
    const creates = await run({ url: gateway, connections: CONNECTIONS, duration: SECONDS, setupClient: perConnection });
    check('creates', creates);

    const { rows } = await admin.query(
      `SELECT merchant_id, count(*)::int AS n, max(id) AS some_id FROM intents.payment_intents WHERE merchant_id = ANY($1) GROUP BY merchant_id`,
      [merchants.map((m) => m.id)],
    );
    const stored = rows.reduce((sum, row) => sum + row.n, 0);
    // Requests still in flight when the run ends complete on the server without being counted.
    if (stored < creates['2xx'] || stored > creates['2xx'] + CONNECTIONS) {
      throw new Error(`${creates['2xx']} creates answered 2xx but ${stored} intents are stored`);
    }
    for (const row of rows) merchants.find((m) => m.id === row.merchant_id)!.intentId = row.some_id;
    progress(`checked: ${stored} intents stored`);

    next = 0;
    progress(`reads at saturation: ${CONNECTIONS} connections, ${SECONDS} s`);
    const reads = await run({
      url: gateway, connections: CONNECTIONS, duration: SECONDS,
      setupClient: (client) => {
        const merchant = merchants[next++ % merchants.length];
        client.setRequests([
          { method: 'GET', path: `/v1/payment_intents/${merchant.intentId}`, headers: { authorization: `Bearer ${merchant.api_key}` } },
        ]);
      },
    });
    check('reads', reads);

    next = 0;
    progress(`creates at a fixed ${FIXED_RATE}/s, ${SECONDS} s`);
    const fixed = await run({ url: gateway, connections: CONNECTIONS, duration: SECONDS, overallRate: FIXED_RATE, setupClient: perConnection });
    check(`creates at ${FIXED_RATE}/s`, fixed);

    process.stdout.write(
      `${JSON.stringify({
        name: 'api_creates',
        value: round(creates.requests.average, 0),
        unit: 'creates/s',
        merchants: CONNECTIONS,
        create_p50_ms: creates.latency.p50,
        create_p99_ms: creates.latency.p99,
        get_per_s: round(reads.requests.average, 0),
        get_p50_ms: reads.latency.p50,
        get_p99_ms: reads.latency.p99,
        fixed_rate: FIXED_RATE,
        fixed_rate_create_p99_ms: fixed.latency.p99,
      })}\n`,
    );
  } finally {
    await admin.end();
    await platform.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:api failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
