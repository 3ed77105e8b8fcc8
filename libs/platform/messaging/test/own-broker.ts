import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka } from 'kafkajs';
import { waitFor } from '@payflow/platform/testing';
import { createKafka } from '../src';

const workspaceRoot = path.resolve(__dirname, '../../../..');

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A Kafka broker of the test's own (tools/infra/kafka.sh with its own data dir and ports), so a
 * test can stop and start it without disturbing the broker everyone else shares.
 */
export class OwnBroker {
  readonly home = mkdtempSync(path.join(os.tmpdir(), 'payflow-own-kafka-'));

  constructor(
    readonly port: number,
    readonly controllerPort: number,
  ) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  client(clientId: string): Kafka {
    return createKafka(clientId, this.brokers);
  }

  async start(): Promise<void> {
    if (await portAnswers(this.port)) throw new Error(`port ${this.port} is taken: another broker (an earlier run?) still listens there`);
    this.script('start');
    await waitFor(() => portAnswers(this.port), { timeoutMs: 120_000, intervalMs: 250, what: `own Kafka broker on ${this.port}` });
    // The port answers before the broker serves metadata: wait until an admin client can list topics.
    const admin = this.client('own-broker-probe').admin();
    await waitFor(
      async () => {
        await admin.connect();
        await admin.listTopics();
        return true;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'own Kafka broker to serve metadata' },
    );
    await admin.disconnect();
  }

  async stop(): Promise<void> {
    this.script('stop');
    await waitFor(async () => !(await portAnswers(this.port)), { timeoutMs: 60_000, intervalMs: 250, what: 'own Kafka broker to stop' });
  }

  async destroy(): Promise<void> {
    await this.stop();
    if (process.env['KEEP_OWN_BROKER'] === undefined) rmSync(this.home, { recursive: true, force: true });
  }

  private script(command: 'start' | 'stop'): void {
    execFileSync('bash', [path.join(workspaceRoot, 'tools/infra/kafka.sh'), command], {
      env: {
        ...process.env,
        KAFKA_HOME_DIR: this.home,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.controllerPort),
      },
      stdio: 'ignore',
    });
  }
}
