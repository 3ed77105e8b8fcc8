/**
 * A relay in its own process, so a test can kill it with SIGKILL mid-batch.
 * Usage: tsx relay-process.ts <connection string> <schema> <brokers> <batch size>
 */
import { Pool } from 'pg';
import { createKafka } from '../src';
import { OutboxRelay } from '@payflow/platform/outbox';

async function main(): Promise<void> {
  const [url, schema, brokers, batchSize] = process.argv.slice(2);
  const pool = new Pool({ connectionString: url, max: 2 });
  const relay = new OutboxRelay({
    schema,
    pool,
    connectionString: url,
    kafka: createKafka('relay-process', brokers),
    batchSize: Number(batchSize),
    pollIntervalMs: 100,
  });
  await relay.start();
  process.stdout.write('relay started\n');
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
