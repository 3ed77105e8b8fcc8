import { Kafka, logLevel } from 'kafkajs';
import { Logger } from '@nestjs/common';

export function parseBrokers(brokers: string): string[] {
  return brokers
    .split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
}

/** A kafkajs client whose own logs go through Nest's logger (so pino in services), warnings and up. */
export function createKafka(clientId: string, brokers: string): Kafka {
  // PayFlow uses kafkajs' default (murmur2, Java-compatible) partitioner deliberately.
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  const logger = new Logger('kafkajs');
  return new Kafka({
    clientId,
    brokers: parseBrokers(brokers),
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 100, retries: 8 },
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        const line = `${message} ${JSON.stringify(extra)}`;
        if (level <= logLevel.ERROR) logger.error(line);
        else logger.warn(line);
      },
  });
}

/**
 * Creates the topics (and their dead-letter topics) that do not exist yet, with `configEntries`
 * (e.g. `retention.ms`) when given.
 */
export async function ensureTopics(
  kafka: Kafka,
  topics: string[],
  numPartitions: number,
  configEntries: { name: string; value: string }[] = [],
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: 1, configEntries })),
      });
    }
  } finally {
    await admin.disconnect();
  }
}
