/**
 * bench:payments — full lifecycles (create, authorize with pm_card_visa, capture) through the
 * gateway, every service and the PSP simulator (no added latency) on this machine. Each worker is
 * its own merchant so rate limits never bind (a 429 fails the run). Afterwards every intent must be
 * `captured` and the ledger must verify.
 */
import { Pool } from 'pg';
import { startPlatform } from '../dev/platform';
import { percentile, progress, round } from './stats';

const WORKERS = Number(process.env['BENCH_PAYMENTS_WORKERS'] ?? 24);
const SECONDS = Number(process.env['BENCH_PAYMENTS_SECONDS'] ?? 20);

type Call = 'create' | 'authorize' | 'capture';
const latencies: Record<Call, number[]> = { create: [], authorize: [], capture: [] };

async function main(): Promise<void> {
  progress('starting every service and the PSP simulator');
  const platform = await startPlatform({ LOG_LEVEL: 'warn' });
  const gateway = platform.urls['gateway'];
  const admin = new Pool({ connectionString: process.env['DATABASE_URL'], max: 2 });
  const intentIds: string[] = [];
  try {
    const keys: { id: string; api_key: string }[] = [];
    for (let i = 0; i < WORKERS; i++) {
      const response = await fetch(`${gateway}/admin/merchants`, {
        method: 'POST',
        headers: { authorization: `Bearer ${platform.env['ADMIN_API_KEY']}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `bench payments ${i}` }),
      });
      if (response.status !== 201) throw new Error(`merchant creation failed: ${response.status}`);
      keys.push((await response.json()) as { id: string; api_key: string });
    }

    const call = async (what: Call, key: string, path: string, body: unknown) => {
      const started = performance.now();
      const response = await fetch(`${gateway}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const answer = (await response.json()) as { id: string; status: string };
      latencies[what].push(performance.now() - started);
      if (response.status >= 300 && response.status !== 202) throw new Error(`${what}: ${response.status} ${JSON.stringify(answer)}`);
      return answer;
    };
    const settle = async (key: string, id: string, status: string) => {
      for (;;) {
        const response = await fetch(`${gateway}/v1/payment_intents/${id}`, { headers: { authorization: `Bearer ${key}` } });
        const intent = (await response.json()) as { status: string };
        if (intent.status === status) return;
        if (intent.status === 'failed' || intent.status === 'canceled') throw new Error(`${id} ended ${intent.status}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    progress(`${WORKERS} workers, ${SECONDS} s of create → authorize → capture`);
    const deadline = Date.now() + SECONDS * 1000;
    const started = Date.now();
    let completed = 0;
    await Promise.all(
      keys.map(async ({ api_key: key }) => {
        while (Date.now() < deadline) {
          const intent = await call('create', key, '/v1/payment_intents', { amount: 10_000, currency: 'USD' });
          intentIds.push(intent.id);
          const authorized = await call('authorize', key, `/v1/payment_intents/${intent.id}/authorize`, { payment_method: 'pm_card_visa' });
          if (authorized.status !== 'authorized') await settle(key, intent.id, 'authorized');
          const captured = await call('capture', key, `/v1/payment_intents/${intent.id}/capture`, {});
          if (captured.status !== 'captured') await settle(key, intent.id, 'captured');
          if (++completed % 200 === 0) progress(`  ${completed} lifecycles`);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const rate = completed / seconds;

    const { rows } = await admin.query(
      `SELECT status, count(*)::int AS n FROM intents.payment_intents WHERE id = ANY($1) GROUP BY status`,
      [intentIds],
    );
    const notCaptured = rows.filter((r) => r.status !== 'captured');
    if (notCaptured.length > 0) throw new Error(`intents not captured: ${JSON.stringify(notCaptured)}`);
    // The ledger books asynchronously: wait until every capture is booked, then verify the book.
    for (;;) {
      const { rows: booked } = await admin.query(
        `SELECT count(*)::int AS n FROM ledger.entries WHERE kind = 'capture' AND intent_id = ANY($1)`,
        [intentIds],
      );
      if (booked[0].n >= intentIds.length) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    const verify = (await (await fetch(`${gateway}/admin/ledger/verify`, {
      headers: { authorization: `Bearer ${platform.env['ADMIN_API_KEY']}` },
    })).json()) as { balanced: boolean; violations: unknown[] };
    if (!verify.balanced) throw new Error(`ledger verify: ${JSON.stringify(verify.violations)}`);
    progress(`checked: ${intentIds.length} intents captured and booked, ledger balanced`);

    const stats = (what: Call) => ({ [`${what}_p50_ms`]: round(percentile(latencies[what], 50)), [`${what}_p99_ms`]: round(percentile(latencies[what], 99)) });
    process.stdout.write(
      `${JSON.stringify({
        name: 'payment_lifecycles',
        value: round(rate, 1),
        unit: 'lifecycles/s',
        workers: WORKERS,
        lifecycles: completed,
        ...stats('create'),
        ...stats('authorize'),
        ...stats('capture'),
        ledger: 'balanced',
      })}\n`,
    );
  } finally {
    await admin.end();
    await platform.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`bench:payments failed: ${(error as Error).stack}\n`);
  process.exit(1);
});
