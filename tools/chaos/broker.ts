/**
 * A Kafka broker of the harness's own (tools/infra/kafka.sh with KAFKA_HOME_DIR and its own ports),
 * so stopping it disturbs no one else. Start waits until the broker answers metadata requests; stop
 * waits until its port is closed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import path from 'node:path';
import { createKafka } from '@payflow/platform/messaging';

const root = path.resolve(__dirname, '../..');

export interface BrokerOptions {
  homeDir: string;
  port: number;
  controllerPort: number;
}

export function portAnswers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.connect(port, host, () => done(true));
  });
}

async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export class KafkaBroker {
  readonly brokers: string;

  constructor(private readonly options: BrokerOptions) {
    this.brokers = `127.0.0.1:${options.port}`;
  }

  private script(action: 'start' | 'stop'): void {
    const result = spawnSync('bash', [path.join(root, 'tools/infra/kafka.sh'), action], {
      env: {
        ...process.env,
        KAFKA_HOME_DIR: this.options.homeDir,
        KAFKA_PORT: String(this.options.port),
        KAFKA_CONTROLLER_PORT: String(this.options.controllerPort),
      },
      encoding: 'utf8',
    });
    if (result.status !== 0) throw new Error(`kafka.sh ${action} failed: ${result.stderr || result.stdout}`);
  }

  /** Removes any previous data, so every run starts from empty topics. */
  async reset(): Promise<void> {
    await this.stop();
    rmSync(this.options.homeDir, { recursive: true, force: true });
  }

  async start(): Promise<void> {
    this.script('start');
    await until(`the chaos Kafka broker did not answer on ${this.brokers}`, 120_000, () =>
      portAnswers(this.options.port),
    );
    const admin = createKafka('chaos-probe', this.brokers).admin();
    await until('the chaos Kafka broker did not serve metadata', 120_000, async () => {
      try {
        await admin.connect();
        await admin.listTopics();
        return true;
      } catch {
        return false;
      } finally {
        await admin.disconnect().catch(() => undefined);
      }
    });
  }

  async stop(): Promise<void> {
    const pidFile = path.join(this.options.homeDir, 'kafka.pid');
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : undefined;
    this.script('stop');
    await until(
      `the chaos Kafka broker (pid ${pid}) did not stop`,
      60_000,
      async () => !(await portAnswers(this.options.port)),
    );
  }
}
