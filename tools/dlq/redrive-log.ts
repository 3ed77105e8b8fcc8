import { Kafka, Producer } from 'kafkajs';
import { readUpToCurrentEnd } from './bounded-read';

/** What the log keeps about one redriven dead letter (the value; the key is its position). */
export interface RedriveRecord {
  dead_letter: string;
  event_id: string | null;
  /** `topic:partition:offset` the message was republished at. */
  republished_as: string;
  redriven_at: string;
}

/**
 * The durable record of redrives: a compacted Kafka topic keyed by the dead letter's position
 * (`dlq topic:partition:offset`). Compaction keeps the latest record per dead letter for as long as
 * the topic exists, and it lives on the same broker as what it describes, so the tool needs no
 * database and no service's schema (dead letters belong to no one service). See docs/decisions.md.
 */
export class RedriveLog {
  constructor(
    private readonly kafka: Kafka,
    private readonly topic: string,
    private readonly readerGroupPrefix: string,
  ) {}

  async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if ((await admin.listTopics()).includes(this.topic)) return;
      await admin
        .createTopics({
          waitForLeaders: true,
          topics: [
            {
              topic: this.topic,
              numPartitions: 1,
              replicationFactor: 1,
              configEntries: [
                { name: 'cleanup.policy', value: 'compact' },
                { name: 'retention.ms', value: '-1' },
              ],
            },
          ],
        })
        // Another run created it in between: that is what we wanted.
        .catch((error: { type?: string }) => {
          if (error.type !== 'TOPIC_ALREADY_EXISTS') throw error;
        });
    } finally {
      await admin.disconnect();
    }
  }

  /** Every redrive recorded so far, by dead letter position (a missing topic reads as none). */
  async load(): Promise<Map<string, RedriveRecord>> {
    const read = await readUpToCurrentEnd(this.kafka, [this.topic], this.readerGroupPrefix);
    const records = new Map<string, RedriveRecord>();
    for (const { message } of read) {
      if (!message.key || !message.value) continue;
      records.set(message.key.toString(), JSON.parse(message.value.toString()) as RedriveRecord);
    }
    return records;
  }

  async record(producer: Producer, records: RedriveRecord[]): Promise<void> {
    if (records.length === 0) return;
    await producer.send({
      topic: this.topic,
      acks: -1,
      messages: records.map((record) => ({ key: record.dead_letter, value: JSON.stringify(record) })),
    });
  }
}
