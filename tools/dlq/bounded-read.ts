import { randomBytes } from 'node:crypto';
import { Kafka, KafkaMessage } from 'kafkajs';

export interface ReadMessage {
  topic: string;
  partition: number;
  message: KafkaMessage;
}

/** The offset after the last message of each partition, as the broker reports it now. */
export type EndOffsets = Map<string, number>;

const positionKey = (topic: string, partition: number) => `${topic}:${partition}`;

async function endOffsetsOf(
  kafka: Kafka,
  topics: string[],
): Promise<{ ends: EndOffsets; readable: string[] }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const ends: EndOffsets = new Map();
    const readable: string[] = [];
    for (const topic of topics.filter((name) => existing.has(name))) {
      let hasMessages = false;
      for (const { partition, low, high } of await admin.fetchTopicOffsets(topic)) {
        if (Number(high) > Number(low)) {
          ends.set(positionKey(topic, partition), Number(high));
          hasMessages = true;
        }
      }
      if (hasMessages) readable.push(topic);
    }
    return { ends, readable };
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads every message of `topics` from the earliest retained offset up to the end offsets current
 * when it starts, then stops: a listing or a redrive sees a fixed set even while consumers keep
 * dead-lettering. Reading goes through a throw-away consumer group that commits nothing and is
 * deleted afterwards; a topic that does not exist reads as empty.
 */
export async function readUpToCurrentEnd(
  kafka: Kafka,
  topics: string[],
  groupPrefix: string,
  timeoutMs = 120_000,
): Promise<ReadMessage[]> {
  const { ends, readable } = await endOffsetsOf(kafka, topics);
  if (readable.length === 0) return [];
  const groupId = `${groupPrefix}.${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
  const read: ReadMessage[] = [];
  const pending = new Set(ends.keys());
  let finished!: () => void;
  let failed!: (error: Error) => void;
  const allRead = new Promise<void>((resolve, reject) => {
    finished = resolve;
    failed = reject;
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => failed(payload.error));
  const timer = setTimeout(
    () =>
      failed(
        new Error(`reading ${readable.join(', ')} did not reach their end offsets within ${timeoutMs} ms`),
      ),
    timeoutMs,
  );
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: readable, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const key = positionKey(batch.topic, batch.partition);
        const end = ends.get(key);
        if (end === undefined) return;
        for (const message of batch.messages) {
          if (Number(message.offset) < end)
            read.push({ topic: batch.topic, partition: batch.partition, message });
        }
        // lastOffset() also covers batches whose tail was compacted away or filtered out.
        if (Number(batch.lastOffset()) >= end - 1 && pending.delete(key) && pending.size === 0) finished();
      },
    });
    await allRead;
  } finally {
    clearTimeout(timer);
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
  return read.sort((a, b) =>
    a.topic === b.topic
      ? a.partition - b.partition || Number(a.message.offset) - Number(b.message.offset)
      : a.topic.localeCompare(b.topic),
  );
}

/** The end offset of every partition of `topic` (nothing republished = these did not move). */
export async function topicEndOffsets(kafka: Kafka, topic: string): Promise<Record<number, number>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return Object.fromEntries(offsets.map(({ partition, high }) => [partition, Number(high)]));
  } finally {
    await admin.disconnect();
  }
}
