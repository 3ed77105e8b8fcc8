import { ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka } from 'kafkajs';
import { Pool } from 'pg';
import { OutboxRelay, createMessagingTablesSql } from '../src';
import { TcpProxy, kafkaBrokers, uniqueName, waitFor } from '@payflow/platform/testing';
import { NetworkNamespace } from './support/network-namespace';
import { OwnPostgres } from './support/own-postgres';
import { createTopics, deleteTopics, testKafka } from './support/test-kafka';

const workspaceRoot = path.resolve(__dirname, '../../../..');
/** The server's keepalive (10 s idle + 3 × 5 s probes) frees the lock within ~25 s; 40 s with margin. */
const LOCK_FREED_WITHIN_MS = 40_000;

/**
 * A leader whose machine vanishes (its network link taken down: no FIN, no RST) loses its advisory
 * lock on the server within the keepalive bound, stops publishing, and another replica takes over.
 * The leader runs in a network namespace of the test's own, against a Postgres of the test's own
 * that listens on the namespace's veth address (the shared one listens on 127.0.0.1 only).
 */
describe('a vanished outbox leader lets go (network namespace, real Postgres and Kafka)', () => {
  const netns = new NetworkNamespace();
  const postgres = new OwnPostgres(
    25_400 + Math.floor(Math.random() * 500),
    ['127.0.0.1', netns.hostAddress],
    [`${netns.nsAddress}/32`],
  );
  const kafka: Kafka = testKafka(uniqueName('vanish'), kafkaBrokers());
  const schema = 'vanish';
  const topic = `test.${uniqueName('vanish')}`;
  const [brokerHost, brokerPort] = kafkaBrokers().split(',')[0].split(':');
  let pool: Pool;
  let forwarder: TcpProxy | null = null;
  let leader: ChildProcess | null = null;
  let leaderOutput = '';
  let standby: OutboxRelay | null = null;

  beforeAll(async () => {
    netns.create();
    postgres.start();
    pool = new Pool({ connectionString: postgres.url(), max: 4 });
    await pool.query(`CREATE SCHEMA ${schema}`);
    for (const sql of createMessagingTablesSql(schema)) await pool.query(sql);
    await createTopics(kafka, [topic]);
    // The shared broker listens on 127.0.0.1 only: reachable from the namespace through a proxy.
    forwarder = await TcpProxy.start(
      { host: brokerHost, port: Number(brokerPort) },
      { host: netns.hostAddress, port: Number(brokerPort) },
    );
  });

  afterAll(async () => {
    if (leader?.pid) process.kill(-leader.pid, 'SIGKILL');
    await standby?.stop();
    await forwarder?.close();
    await pool?.end();
    postgres.stop();
    netns.destroy();
    await deleteTopics(kafka, [topic]);
  });

  async function insertRow(): Promise<string> {
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO ${schema}.outbox (event_id, topic, message_key, event_type, payload) VALUES ($1, $2, 'k', 'test.happened', '{}') RETURNING id`,
      [randomUUID(), topic],
    );
    return rows[0].id;
  }

  const isPublished = async (id: string): Promise<boolean> =>
    (await pool.query(`SELECT 1 FROM ${schema}.outbox WHERE id = $1 AND published_at IS NOT NULL`, [id]))
      .rowCount === 1;

  async function lockHolder(): Promise<number | null> {
    const { rows } = await pool.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted`,
    );
    return rows[0]?.pid ?? null;
  }

  it('frees the lock on the server within the keepalive bound, and another replica publishes', async () => {
    const script = path.join(__dirname, 'support', 'namespaced-relay.ts');
    const tsx = path.join(workspaceRoot, 'node_modules', '.bin', 'tsx');
    const [command, ...args] = netns.exec([
      tsx,
      script,
      postgres.url(netns.hostAddress),
      schema,
      `${netns.hostAddress}:${brokerPort}`,
      brokerPort,
    ]);
    leader = spawn(command, args, { cwd: workspaceRoot, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    leader.stdout?.on('data', (chunk: Buffer) => (leaderOutput += chunk.toString()));
    leader.stderr?.on('data', (chunk: Buffer) => (leaderOutput += chunk.toString()));
    await waitFor(() => leaderOutput.includes('state leader'), {
      timeoutMs: 60_000,
      what: `the namespaced relay to lead: ${leaderOutput}`,
    });
    const beforeCut = await insertRow();
    await waitFor(() => isPublished(beforeCut), {
      timeoutMs: 30_000,
      what: 'the leader to publish through the namespace',
    });

    standby = new OutboxRelay({
      schema,
      pool,
      connectionString: postgres.url(),
      kafka,
      pollIntervalMs: 100,
      standbyRetryMs: 250,
    });
    await standby.start();
    const heldBy = await lockHolder();
    expect(heldBy).not.toBeNull();
    expect(standby.isLeader()).toBe(false);

    netns.cut();
    const cutAt = Date.now();
    const afterCut = await insertRow();

    // The leader notices first (its heartbeat fails) and stops publishing...
    await waitFor(() => leaderOutput.includes('state standby'), {
      timeoutMs: 20_000,
      what: 'the cut-off leader to give up leadership',
    });
    // ...and the server frees the lock of the backend whose client vanished.
    await waitFor(async () => (await lockHolder()) !== heldBy, {
      timeoutMs: LOCK_FREED_WITHIN_MS + 5_000,
      intervalMs: 250,
      what: 'the lock to be freed',
    });
    const freedAfterMs = Date.now() - cutAt;
    expect(freedAfterMs).toBeLessThan(LOCK_FREED_WITHIN_MS);

    await waitFor(() => isPublished(afterCut), { timeoutMs: 15_000, what: 'the other replica to publish' });
    expect(standby.isLeader()).toBe(true);
    process.stdout.write(`vanished leader: lock freed ${freedAfterMs} ms after the cut\n`);
  }, 180_000);
});
