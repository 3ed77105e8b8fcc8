import { randomBytes } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';

export interface ReadMessage {
  partition: number;
  offset: string;
  message: KafkaMessage;
}

/**
 * Reads a topic from its beginning up to the end offsets it has when the read starts (what is
 * published meanwhile is left for the next run), with a throw-away consumer group deleted after.
 * Returns each partition's messages in offset order. A missing topic reads as empty.
 */
export async function readTopicToCurrentEnd(kafka: Kafka, topic: string, groupPrefix: string): Promise<Map<number, ReadMessage[]>> {
  const admin = kafka.admin();
  await admin.connect();
  const groupId = `${groupPrefix}-${randomBytes(6).toString('hex')}`;
  try {
    if (!(await admin.listTopics()).includes(topic)) return new Map();
    const ends = new Map<number, bigint>();
    for (const { partition, high, low } of await admin.fetchTopicOffsets(topic)) {
      if (BigInt(high) > BigInt(low)) ends.set(partition, BigInt(high));
    }
    const read = new Map<number, ReadMessage[]>([...ends.keys()].map((partition) => [partition, []]));
    if (ends.size > 0) await consumeUntil(kafka, groupId, topic, ends, read);
    return read;
  } finally {
    // The group exists only if it joined; deleting one that does not is harmless.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

async function consumeUntil(
  kafka: Kafka,
  groupId: string,
  topic: string,
  ends: Map<number, bigint>,
  read: Map<number, ReadMessage[]>,
): Promise<void> {
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    const pending = new Set(ends.keys());
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          autoCommit: false,
          eachBatch: async ({ batch }) => {
            const end = ends.get(batch.partition);
            if (end === undefined || !pending.has(batch.partition)) return;
            for (const message of batch.messages) {
              if (BigInt(message.offset) >= end) break;
              read.get(batch.partition)!.push({ partition: batch.partition, offset: message.offset, message });
            }
            const last = batch.messages.at(-1);
            if (last && BigInt(last.offset) >= end - 1n) pending.delete(batch.partition);
            if (pending.size === 0) resolve();
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
}
