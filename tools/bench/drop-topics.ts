/** Deletes a benchmark run's topics (every topic whose name starts with the given prefix). */
import { createKafka } from '@payflow/platform/messaging';

async function main(): Promise<void> {
  const prefix = process.argv[2];
  if (!prefix || !prefix.startsWith('bench.')) throw new Error('usage: drop-topics.ts bench.<run>.');
  const admin = createKafka('bench-cleanup', process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(prefix));
  if (topics.length > 0) await admin.deleteTopics({ topics });
  await admin.disconnect();
}

main().catch((error) => {
  process.stderr.write(`could not delete the benchmark's topics: ${(error as Error).message}\n`);
  process.exit(1);
});
