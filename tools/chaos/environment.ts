/**
 * The harness's own world: its Postgres cluster, its Kafka broker, the machine's Redis under a key
 * prefix of its own, schemas and topics, and the platform started on them with ports of its own.
 * `stop()` tears down everything it started, in reverse order, and is safe to call twice.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
// tools/dev is workspace tooling, not a project: the harness starts the services as npm start does.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startPlatform, type RunningPlatform } from '../dev/platform';
import { KafkaBroker } from './broker';
import { PostgresCluster } from './cluster';

const root = path.resolve(__dirname, '../..');

export interface EnvironmentOptions {
  /** Under .infra/: data of the cluster, the broker and the services' logs. */
  name: string;
  postgresPort: number;
  kafkaPort: number;
  /** Service ports are base+0 (gateway) … base+4 (webhooks), base+5 (billing), base+6 (dunning), simulator base+10. */
  servicePortBase: number;
  seed: number;
  runId: string;
  /** Extra settings for every service. */
  settings?: Record<string, string>;
  log(line: string): void;
  /** Receives `stop` before anything is started, so Ctrl-C during set-up can still tear down. */
  onStop?: (stop: () => Promise<void>) => void;
}

export interface ChaosEnvironment {
  cluster: PostgresCluster;
  broker: KafkaBroker;
  platform: RunningPlatform;
  /** DATABASE_URL (admin), KAFKA_BROKERS, KAFKA_TOPIC_PREFIX, REDIS_URL of this world, for tools. */
  toolEnv: Record<string, string>;
  topicPrefix: string;
  logDir: string;
  stop(): Promise<void>;
}

function runTool(file: string, env: Record<string, string>): void {
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, file)],
    {
      env: { ...process.env, ...env },
      encoding: 'utf8',
      cwd: root,
    },
  );
  if (result.status !== 0) throw new Error(`${file} failed: ${result.stderr || result.stdout}`);
}

export async function startEnvironment(options: EnvironmentOptions): Promise<ChaosEnvironment> {
  const home = path.join(root, '.infra', options.name);
  const logDir = path.join(home, 'logs', options.runId);
  mkdirSync(logDir, { recursive: true });
  const cluster = new PostgresCluster({
    dataDir: path.join(home, 'pg'),
    port: options.postgresPort,
    maxConnections: 300,
  });
  const broker = new KafkaBroker({
    homeDir: path.join(home, 'kafka'),
    port: options.kafkaPort,
    controllerPort: options.kafkaPort + 1,
  });
  let platform: RunningPlatform | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await platform
      ?.stop()
      .catch((error) => options.log(`stopping the platform: ${(error as Error).message}`));
    await broker.stop().catch((error) => options.log(`stopping the broker: ${(error as Error).message}`));
    try {
      cluster.stopQuietly();
    } catch (error) {
      options.log(`stopping the cluster: ${(error as Error).message}`);
    }
  };
  options.onStop?.(stop);
  const topicPrefix = `chaos.${options.runId}.`;
  const toolEnv: Record<string, string> = {
    DATABASE_URL: cluster.url,
    KAFKA_BROKERS: broker.brokers,
    KAFKA_TOPIC_PREFIX: topicPrefix,
    REDIS_URL: process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  };
  try {
    options.log(
      `postgres: a fresh cluster on port ${options.postgresPort} (${path.relative(root, home)}/pg)`,
    );
    cluster.init();
    cluster.start();
    options.log(`kafka: a fresh broker on port ${options.kafkaPort} (${path.relative(root, home)}/kafka)`);
    await broker.reset();
    await broker.start();
    options.log('bootstrap and migrations');
    runTool('tools/db/bootstrap.ts', toolEnv);
    runTool('tools/db/migrate.ts', toolEnv);
    const base = options.servicePortBase;
    options.log(`starting the platform on ports ${base}… (logs ${path.relative(root, logDir)})`);
    platform = await startPlatform({
      ...toolEnv,
      API_PORT: String(base),
      INTENTS_PORT: String(base + 1),
      ORCHESTRATOR_PORT: String(base + 2),
      LEDGER_PORT: String(base + 3),
      WEBHOOKS_PORT: String(base + 4),
      BILLING_PORT: String(base + 5),
      DUNNING_PORT: String(base + 6),
      PSP_SIMULATOR_PORT: String(base + 10),
      REDIS_KEY_PREFIX: `payflow:${options.name}:${options.runId}:`,
      SIMULATOR_SEED: String(options.seed),
      // The workload's merchants are few and busy: rate limits are not what is tested here.
      RATE_LIMIT_PER_SECOND: '100000',
      RATE_LIMIT_BURST: '100000',
      LOG_LEVEL: 'warn',
      PAYFLOW_LOG_DIR: logDir,
      ...options.settings,
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { cluster, broker, platform, toolEnv, topicPrefix, logDir, stop };
}
