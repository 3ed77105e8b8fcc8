/**
 * Reads what the invariants are evaluated on: the intents and the ledger (as the cluster's admin
 * role), what the simulated PSPs hold, the ledger's verify, the dead-letter topics, and
 * `npm run replay:ledger` when it exists.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Kafka } from 'kafkajs';
import type { Pool } from 'pg';
import { ALL_TOPICS, deadLetterTopicOf } from '@payflow/contracts';
import type {
  CaptureEntryFact,
  DeadLetterFact,
  HeldPayment,
  IntentFact,
  MerchantBalanceFact,
  OpenAttemptFact,
  RefundFact,
  SuspenseFact,
  Verdict,
} from './invariants';

const root = path.resolve(__dirname, '../..');
export const POISON_MARKER = 'chaos-poison';

export async function readIntents(pool: Pool): Promise<IntentFact[]> {
  const { rows } = await pool.query(
    `SELECT id, merchant_id, status, amount::float8 AS amount, currency, amount_received::float8 AS amount_received,
            amount_refunded::float8 AS amount_refunded
       FROM intents.payment_intents`,
  );
  return rows as IntentFact[];
}

/** Per intent: its capture entries, the reversals of them, and the psp_receivable they leave booked. */
export async function readCaptureEntries(pool: Pool): Promise<CaptureEntryFact[]> {
  const { rows } = await pool.query(
    `SELECT e.intent_id,
            count(DISTINCT e.id) FILTER (WHERE e.kind = 'capture')::int AS entries,
            count(DISTINCT e.id) FILTER (WHERE e.kind = 'capture_reversal')::int AS reversals,
            (COALESCE(sum(p.amount) FILTER (WHERE e.kind = 'capture' AND p.direction = 'debit'), 0)
             - COALESCE(sum(p.amount) FILTER (WHERE e.kind = 'capture_reversal' AND p.direction = 'credit'), 0))::float8 AS amount
       FROM ledger.entries e
       JOIN ledger.postings p ON p.entry_id = e.id AND NOT p.pending
       JOIN ledger.accounts a ON a.id = p.account_id AND a.kind = 'psp_receivable'
      WHERE e.kind IN ('capture', 'capture_reversal')
      GROUP BY e.intent_id`,
  );
  return rows as CaptureEntryFact[];
}

/** Per intent with refunds: the sum of those that succeeded, and how many are still pending. */
export async function readRefunds(pool: Pool): Promise<RefundFact[]> {
  const { rows } = await pool.query(
    `SELECT payment_intent_id AS intent_id,
            COALESCE(sum(amount) FILTER (WHERE status = 'succeeded'), 0)::float8 AS succeeded,
            count(*) FILTER (WHERE status = 'pending')::int AS pending
       FROM intents.refunds
      GROUP BY payment_intent_id`,
  );
  return rows as RefundFact[];
}

/** Orchestrator attempts still open (pending or unknown), and whether each is overdue. */
export async function readOpenAttempts(pool: Pool): Promise<OpenAttemptFact[]> {
  const { rows } = await pool.query(
    `SELECT intent_id, id AS attempt_id, provider, operation, status, overdue_since IS NOT NULL AS overdue
       FROM orchestrator.attempts
      WHERE status IN ('pending', 'unknown')`,
  );
  return rows as OpenAttemptFact[];
}

/** Σ of the orchestrator's `psp_operations_overdue` gauge (every provider and operation). */
export async function readOverdueGauge(
  orchestratorUrl: string,
): Promise<{ total: number } | { error: string }> {
  try {
    const response = await fetch(`${orchestratorUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) return { error: `HTTP ${response.status}` };
    return { total: sumOfMetric(await response.text(), 'psp_operations_overdue') };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The sum of a metric's samples in Prometheus' text format (0 when it has none). */
export function sumOfMetric(text: string, name: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || !/^[{\s]/.test(line.slice(name.length))) continue;
    const value = Number(line.trim().split(/\s+/).pop());
    if (Number.isFinite(value)) total += value;
  }
  return total;
}

/** Each `psp_suspense` account (per provider and currency) and what it holds. */
export async function readSuspense(pool: Pool): Promise<SuspenseFact[] | { error: string }> {
  try {
    const { rows } = await pool.query(
      `SELECT provider, trim(currency) AS currency, (credits_posted - debits_posted)::float8 AS net
         FROM ledger.accounts WHERE kind = 'psp_suspense'`,
    );
    return rows as SuspenseFact[];
  } catch (error) {
    return { error: (error as Error).message };
  }
}

export async function readBalances(pool: Pool): Promise<MerchantBalanceFact[]> {
  const { rows } = await pool.query<{ merchant_id: string; currency: string; kind: string; net: number }>(
    `SELECT merchant_id, currency, kind, (credits_posted - debits_posted)::float8 AS net
       FROM ledger.accounts WHERE merchant_id IS NOT NULL AND kind IN ('merchant_payable', 'platform_fees')`,
  );
  const balances = new Map<string, MerchantBalanceFact>();
  for (const row of rows) {
    const key = `${row.merchant_id} ${row.currency}`;
    const balance = balances.get(key) ?? {
      merchant_id: row.merchant_id,
      currency: row.currency.trim(),
      payable: 0,
      fees: 0,
    };
    if (row.kind === 'merchant_payable') balance.payable = row.net;
    else balance.fees = row.net;
    balances.set(key, balance);
  }
  return [...balances.values()];
}

export async function readHeldPayments(simulatorUrl: string): Promise<HeldPayment[]> {
  const response = await fetch(`${simulatorUrl}/_simulator/inspection/payments`);
  if (!response.ok) throw new Error(`simulator inspection: ${response.status}`);
  return ((await response.json()) as { payments: HeldPayment[] }).payments;
}

export async function readVerify(
  ledgerUrl: string,
  internalToken: string,
): Promise<{ balanced: boolean; violations: unknown[] } | { error: string }> {
  try {
    const response = await fetch(`${ledgerUrl}/internal/v1/verify`, {
      headers: { 'x-internal-token': internalToken },
      signal: AbortSignal.timeout(120_000),
    });
    if (!response.ok) return { error: `HTTP ${response.status} ${await response.text()}` };
    return (await response.json()) as { balanced: boolean; violations: unknown[] };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Every message of every dead-letter topic of this run, read from the beginning. */
export async function readDeadLetters(kafka: Kafka, prefix: string): Promise<DeadLetterFact[]> {
  const admin = kafka.admin();
  await admin.connect();
  const expected = new Map<string, number>();
  try {
    for (const topic of ALL_TOPICS.map((t) => `${prefix}${deadLetterTopicOf(t)}`)) {
      const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
      const total = offsets.reduce((sum, o) => sum + Number(o.high) - Number(o.low), 0);
      if (total > 0) expected.set(topic, total);
    }
  } finally {
    await admin.disconnect();
  }
  const wanted = [...expected.values()].reduce((a, b) => a + b, 0);
  if (wanted === 0) return [];
  const letters: DeadLetterFact[] = [];
  const consumer = kafka.consumer({ groupId: `${prefix}chaos-dead-letter-reader-${Date.now()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...expected.keys()], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`read ${letters.length} of ${wanted} dead letters in 60 s`)),
        60_000,
      );
      void consumer.run({
        eachMessage: async ({ topic, message }) => {
          const header = (name: string) => message.headers?.[name]?.toString() ?? '';
          letters.push({
            topic,
            consumer: header('dlq-consumer'),
            reason: header('dlq-reason'),
            error: header('dlq-error'),
            poison: (message.value?.toString() ?? '').startsWith(POISON_MARKER),
          });
          if (letters.length >= wanted) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return letters;
}

/** `npm run replay:ledger` on the harness's cluster: last line JSON, exit 0 when no difference. */
export async function runReplay(env: Record<string, string>): Promise<{ verdict: Verdict; detail: string }> {
  const cli = path.join(root, 'apps/ledger/src/replay/replay-cli.ts');
  if (!existsSync(cli))
    return { verdict: 'unavailable', detail: 'apps/ledger/src/replay/replay-cli.ts does not exist yet' };
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(root, 'tools/dev/run-tool.sh'), cli], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += chunk));
    child.stderr.on('data', (chunk) => (err += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      const last = out.trim().split('\n').pop() ?? '';
      resolve({
        verdict: code === 0 ? 'pass' : 'fail',
        detail:
          code === 0
            ? `no difference: ${last.slice(0, 500)}`
            : `exit ${code}: ${(last || err.trim().split('\n').slice(-3).join(' ')).slice(0, 1000)}`,
      });
    });
  });
}
