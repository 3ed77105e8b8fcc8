import type { Message } from 'kafkajs';

/** Kafka's default message.max.bytes is 1,048,588 per record batch; stay under it before compression. */
export const DEFAULT_MAX_BATCH_BYTES = 1_000_000;

export interface OutgoingRecord {
  id: string;
  topic: string;
  message: Message;
}

/** Approximate bytes a record takes on the wire (value, key and headers; framing is small). */
export function recordBytes(message: Message): number {
  let bytes = 0;
  if (message.value) bytes += Buffer.byteLength(message.value as string);
  if (message.key) bytes += Buffer.byteLength(message.key as string);
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(String(value));
  }
  return bytes;
}

/**
 * The longest prefix of `records` (oldest first) that fits in `maxBytes`, and at least one record:
 * a record larger than the bound is sent alone, where compression may still bring it under the
 * broker's limit, and if not the broker's refusal names it alone.
 */
export function takeBatch<T extends OutgoingRecord>(records: readonly T[], maxBytes: number): T[] {
  let total = 0;
  let count = 0;
  for (const record of records) {
    const bytes = recordBytes(record.message);
    if (count > 0 && total + bytes > maxBytes) break;
    total += bytes;
    count++;
  }
  return records.slice(0, count);
}

/** Groups records by topic for one `sendBatch`, keeping each topic's records in order. */
export function topicMessagesOf(
  records: readonly OutgoingRecord[],
): { topic: string; messages: Message[] }[] {
  const byTopic = new Map<string, Message[]>();
  for (const record of records) {
    const messages = byTopic.get(record.topic) ?? [];
    messages.push(record.message);
    byTopic.set(record.topic, messages);
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}
