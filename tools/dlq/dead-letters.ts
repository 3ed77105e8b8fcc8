import { IHeaders, Kafka, KafkaMessage } from 'kafkajs';
import { EVENT_ID_HEADER } from '@payflow/contracts';
import { readUpToCurrentEnd } from './bounded-read';
import { DlqSettings } from './dlq-config';

const DLQ_SUFFIX = '.dlq';

/** One dead-lettered message, as the inbox transport's headers describe it. */
export interface DeadLetter {
  /** `dlq topic:partition:offset`: names this dead letter for `--offset` and in the redrive log. */
  position: string;
  dlqTopic: string;
  partition: number;
  offset: string;
  /** The topic, partition and offset the message was consumed from. */
  originalTopic: string;
  originalPartition: number | null;
  originalOffset: string | null;
  /** From the event (or, for a value that is not JSON, the event-id header if it has one). */
  eventId: string | null;
  /** Null when the value is not JSON (poison): such a message is redriven only when named. */
  type: string | null;
  key: string | null;
  error: string | null;
  reason: string | null;
  attempts: number | null;
  consumer: string | null;
  deadLetteredAt: string;
  /** The dead-lettered message itself, for a redrive. */
  message: KafkaMessage;
}

export const dlqTopicOf = (topic: string) => `${topic}${DLQ_SUFFIX}`;

export function positionOf(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}

function headerText(headers: IHeaders | undefined, name: string): string | null {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? null : first.toString();
}

function numberOrNull(text: string | null): number | null {
  return text !== null && /^\d+$/.test(text) ? Number(text) : null;
}

function parseEvent(message: KafkaMessage): { id: string | null; type: string | null } | null {
  try {
    const raw = JSON.parse(message.value?.toString() ?? '') as { id?: unknown; type?: unknown } | null;
    return {
      id: typeof raw?.id === 'string' ? raw.id : null,
      type: typeof raw?.type === 'string' ? raw.type : null,
    };
  } catch {
    return null;
  }
}

export function toDeadLetter(dlqTopic: string, partition: number, message: KafkaMessage): DeadLetter {
  const headers = message.headers;
  const event = parseEvent(message);
  return {
    position: positionOf(dlqTopic, partition, message.offset),
    dlqTopic,
    partition,
    offset: message.offset,
    originalTopic: headerText(headers, 'dlq-original-topic') ?? dlqTopic.slice(0, -DLQ_SUFFIX.length),
    originalPartition: numberOrNull(headerText(headers, 'dlq-original-partition')),
    originalOffset: headerText(headers, 'dlq-original-offset'),
    eventId: event?.id ?? headerText(headers, EVENT_ID_HEADER),
    type: event?.type ?? null,
    key: message.key?.toString() ?? null,
    error: headerText(headers, 'dlq-error'),
    reason: headerText(headers, 'dlq-reason'),
    attempts: numberOrNull(headerText(headers, 'dlq-attempts')),
    consumer: headerText(headers, 'dlq-consumer'),
    deadLetteredAt: new Date(Number(message.timestamp)).toISOString(),
    message,
  };
}

/** Accepts a topic as the user may name it: logical, wire (prefixed), or its dead-letter topic. */
export function matchesTopic(settings: DlqSettings, wireTopic: string, given: string): boolean {
  const bare = given.endsWith(DLQ_SUFFIX) ? given.slice(0, -DLQ_SUFFIX.length) : given;
  return wireTopic === bare || wireTopic === `${settings.topicPrefix}${bare}`;
}

/** Every dead letter of the configured topics (optionally one), up to the offsets current now. */
export async function readDeadLetters(
  kafka: Kafka,
  settings: DlqSettings,
  topic?: string,
): Promise<DeadLetter[]> {
  const topics = settings.topics.filter((wire) => topic === undefined || matchesTopic(settings, wire, topic));
  const read = await readUpToCurrentEnd(kafka, topics.map(dlqTopicOf), settings.readerGroupPrefix);
  return read.map(({ topic: dlqTopic, partition, message }) => toDeadLetter(dlqTopic, partition, message));
}
