/**
 * `npm run replay:ledger [-- --against <schema>] [--keep] [--verbose]`: rebuilds the ledger from the
 * intents topic (`${KAFKA_TOPIC_PREFIX}payflow.intents.v1`, from its beginning up to its current
 * end) into a scratch schema with the same posting code, compares it with the live book (schema
 * `ledger` unless --against), prints each difference and, last, one JSON line:
 * {"name":"replay:ledger","entries":N,"differences":D,...}. Exit 0 when the books agree, 1 when they
 * differ, 2 when the replay could not run. Env: DATABASE_URL (administrative role), KAFKA_BROKERS,
 * KAFKA_TOPIC_PREFIX, LEDGER_BATCH_SIZE.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { describeDifference } from './compare-books';
import { replayLedger } from './replay';

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    process.stderr.write(`replay:ledger: ${name} is required\n`);
    process.exit(78);
  }
  return value;
}

async function main(): Promise<void> {
  // Late events the replay skips are logged at `log` level by the writer; only --verbose shows them.
  if (!process.argv.includes('--verbose')) Logger.overrideLogger(['error', 'warn']);
  const batchSize = Number(process.env['LEDGER_BATCH_SIZE'] ?? 1000);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    process.stderr.write('replay:ledger: LEDGER_BATCH_SIZE must be a positive integer\n');
    process.exit(78);
  }
  const { report, differences } = await replayLedger({
    adminUrl: required('DATABASE_URL'),
    brokers: required('KAFKA_BROKERS'),
    topicPrefix: process.env['KAFKA_TOPIC_PREFIX'] ?? '',
    against: argument('--against') ?? 'ledger',
    keep: process.argv.includes('--keep'),
    batchSize,
  });
  for (const difference of differences) process.stdout.write(`${describeDifference(difference)}\n`);
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = differences.length === 0 ? 0 : 1;
}

main().catch((error) => {
  process.stderr.write(`replay:ledger failed: ${(error as Error).stack ?? error}\n`);
  process.exit(2);
});
