import { Kafka, logLevel } from 'kafkajs';

/**
 * Kafka for the outbox's own tests. Not createKafka/ensureTopics of the messaging library: its
 * tests use the outbox, so the outbox's tests may not use it back (no circular projects).
 */
export function testKafka(clientId: string, brokers: string): Kafka {
  process.env['KAFKAJS_NO_PARTITIONER_WARNING'] ??= '1';
  return new Kafka({ clientId, brokers: brokers.split(','), logLevel: logLevel.ERROR });
}

export async function createTopics(kafka: Kafka, topics: string[], numPartitions = 1): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: topics.map((topic) => ({ topic, numPartitions, replicationFactor: 1 })),
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteTopics(kafka: Kafka, topics: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics });
  } catch {
    // already gone
  } finally {
    await admin.disconnect();
  }
}
