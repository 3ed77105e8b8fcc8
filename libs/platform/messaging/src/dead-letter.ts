import type { KafkaMessage, Message } from 'kafkajs';

export type DeadLetterReason = 'invalid' | 'failed';

/** The dead-letter copy of a message: same key, value and headers, plus why and where it came from. */
export function deadLetterMessage(
  message: KafkaMessage,
  origin: { topic: string; partition: number; consumer: string },
  failure: { error: string; attempts: number; reason: DeadLetterReason },
): Message {
  return {
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      'dlq-error': failure.error.slice(0, 2_000),
      'dlq-reason': failure.reason,
      'dlq-attempts': String(failure.attempts),
      'dlq-consumer': origin.consumer,
      'dlq-original-topic': origin.topic,
      'dlq-original-partition': String(origin.partition),
      'dlq-original-offset': message.offset,
    },
  };
}

/**
 * Header of a redriven message: the consumers that dead-lettered it, comma-separated. The other
 * consumers of the topic applied the original long ago and must not apply the copy, even once their
 * inbox rows for it were pruned.
 */
export const REDRIVEN_FOR_HEADER = 'dlq-redriven-for';

/** Whether `consumer` should take this message: any message, except a redrive meant for others. */
export function isAddressedTo(headers: KafkaMessage['headers'], consumer: string): boolean {
  const redrivenFor = headers?.[REDRIVEN_FOR_HEADER];
  if (redrivenFor === undefined) return true;
  return redrivenFor.toString().split(',').includes(consumer);
}
