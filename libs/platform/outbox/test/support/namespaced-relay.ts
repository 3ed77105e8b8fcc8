/**
 * A relay meant to run inside a network namespace (see NetworkNamespace): it reaches Postgres
 * directly at the host's veth address and Kafka through a local forwarder (the broker advertises
 * 127.0.0.1), and prints its state changes as `state <name>` lines for the test to follow.
 * Usage: tsx namespaced-relay.ts <postgres url> <schema> <kafka host:port seen from the namespace> <broker port>
 */
import { Pool } from 'pg';
import { OutboxRelay } from '../../src';
import { TcpProxy } from '@payflow/platform/testing';
import { testKafka } from './test-kafka';

async function main(): Promise<void> {
  const [url, schema, kafkaAddress, brokerPort] = process.argv.slice(2);
  const [kafkaHost, kafkaPort] = kafkaAddress.split(':');
  await TcpProxy.start({ host: kafkaHost, port: Number(kafkaPort) }, { host: '127.0.0.1', port: Number(brokerPort) });
  const pool = new Pool({ connectionString: url, max: 2 });
  pool.on('error', () => undefined);
  const relay = new OutboxRelay({
    schema,
    pool,
    connectionString: url,
    kafka: testKafka('namespaced-relay', `127.0.0.1:${brokerPort}`),
    pollIntervalMs: 100,
    // Once it has lost the lock it stays away, so the test knows which replica takes over.
    standbyRetryMs: 120_000,
  });
  let last = '';
  setInterval(() => {
    const state = relay.currentState();
    if (state !== last) process.stdout.write(`state ${state}\n`);
    last = state;
  }, 50);
  await relay.start();
}

main().catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
