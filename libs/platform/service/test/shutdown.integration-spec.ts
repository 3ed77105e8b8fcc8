import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Pool } from 'pg';
import { createKafka, ensureTopics } from '@payflow/platform/messaging';
import { adminDatabaseUrl, uniqueName, waitFor } from '@payflow/platform/testing';

const workspaceRoot = path.resolve(__dirname, '../../../..');
const KAFKA_PORT = 19192;
const SHUTDOWN_TIMEOUT_MS = 6_000;
/** Process start-up of the exit path and the OS reaping it. */
const MARGIN_MS = 1_500;

/**
 * SIGTERM returns within SHUTDOWN_TIMEOUT_MS even while Kafka is unreachable: consumers that cannot
 * leave their group, a relay that cannot flush and a producer that cannot disconnect are each
 * bounded, and what could not be published stays in the outbox. Runs a broker of its own, so
 * stopping it disturbs no one.
 */
describe('shutdown with Kafka stopped (own broker, real Postgres)', () => {
  const kafkaHome = `/tmp/eb-kafka-${randomUUID().slice(0, 8)}`;
  const kafkaEnv = {
    ...process.env,
    KAFKA_HOME_DIR: kafkaHome,
    KAFKA_PORT: String(KAFKA_PORT),
    KAFKA_CONTROLLER_PORT: String(KAFKA_PORT + 1),
  };
  const brokers = `127.0.0.1:${KAFKA_PORT}`;
  const prefix = process.env['KAFKA_TOPIC_PREFIX'] ?? '';
  const topic = `test.${uniqueName('shutdown')}`;
  const db = new Pool({ connectionString: adminDatabaseUrl(), max: 2 });
  let service: ChildProcess | null = null;

  const kafkaScript = (command: 'start' | 'stop'): void => {
    execFileSync('bash', [path.join(workspaceRoot, 'tools/infra/kafka.sh'), command], {
      env: kafkaEnv,
      stdio: 'pipe',
    });
  };

  const brokerAnswers = (): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = net.connect(KAFKA_PORT, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });

  beforeAll(async () => {
    kafkaScript('start');
    const kafka = createKafka(uniqueName('shutdown'), brokers);
    await waitFor(
      async () => {
        await ensureTopics(kafka, [`${prefix}${topic}`, `${prefix}${topic}.dlq`], 1);
        return true;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, what: 'the own broker to take topics' },
    );
  }, 120_000);

  afterAll(async () => {
    if (service?.exitCode === null) service.kill('SIGKILL');
    kafkaScript('stop');
    await waitFor(async () => !(await brokerAnswers()), {
      timeoutMs: 30_000,
      what: 'the own broker to stop',
    });
    rmSync(kafkaHome, { recursive: true, force: true });
    await db.query(`DELETE FROM intents.outbox WHERE topic = $1`, [topic]);
    await db.end();
  }, 60_000);

  it('exits within SHUTDOWN_TIMEOUT_MS after SIGTERM while the broker is down, keeping unpublished rows', async () => {
    let output = '';
    // Nest's injection needs decorator metadata, which tsx does not emit: ts-register transpiles with it.
    const register = path.join(__dirname, 'support', 'ts-register.js');
    service = spawn(
      process.execPath,
      ['-r', register, path.join(__dirname, 'support', 'probe-service-process.ts'), topic],
      {
        cwd: workspaceRoot,
        env: {
          ...process.env,
          KAFKA_BROKERS: brokers,
          SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    service.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    service.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => service?.once('exit', (code) => resolve(code)));
    await waitFor(() => output.includes('probe ready'), {
      timeoutMs: 90_000,
      what: `the service to start: ${output}`,
    });

    kafkaScript('stop');
    await waitFor(async () => !(await brokerAnswers()), {
      timeoutMs: 30_000,
      what: 'the own broker to stop',
    });
    // Committed but not publishable: the relay is retrying when SIGTERM comes.
    await db.query(
      `INSERT INTO intents.outbox (event_id, topic, message_key, event_type, payload) VALUES ($1, $2, 'k', 'test.happened', '{}')`,
      [randomUUID(), topic],
    );

    const signalledAt = Date.now();
    service.kill('SIGTERM');
    const code = await exited;
    const tookMs = Date.now() - signalledAt;

    expect(service.exitCode ?? service.signalCode).not.toBeNull();
    expect(tookMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS + MARGIN_MS);
    expect(output).toContain('SIGTERM received');
    const { rows } = await db.query(`SELECT published_at FROM intents.outbox WHERE topic = $1`, [topic]);
    expect(rows).toEqual([{ published_at: null }]);
    process.stdout.write(`SIGTERM with Kafka stopped: exited with ${code} after ${tookMs} ms\n`);
  }, 180_000);
});
