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
