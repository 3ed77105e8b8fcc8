import { IHeaders, Kafka, Producer } from 'kafkajs';
import { REDRIVEN_FOR_HEADER } from '@payflow/platform/messaging';
import { DeadLetter, positionOf, readDeadLetters } from './dead-letters';
import { DlqSettings } from './dlq-config';
import { RedriveLog, RedriveRecord } from './redrive-log';

/** Which dead letters to redrive, and how (`npm run dlq -- redrive …`). */
export interface RedriveSelection {
  topic?: string;
  /** Event ids (or, for a value that is not JSON, its event-id header). */
  ids?: string[];
  /** Dead letter positions `dlq topic:partition:offset`. */
  positions?: string[];
  /** Redrive also what was redriven before (the consumers' inboxes skip what they applied). */
  again?: boolean;
  dryRun?: boolean;
}

export type RedriveAction = 'redriven' | 'would_redrive' | 'skipped';

export interface RedriveOutcome {
  deadLetter: DeadLetter;
  action: RedriveAction;
  /** Why it was skipped, or where it went (`topic:partition:offset`). */
  detail: string;
}

/** Marks a redriven message (and says where from) in place of the dead-letter headers. */
export const REDRIVEN_FROM_HEADER = 'dlq-redriven-from';

function redrivenHeaders(group: DeadLetter[]): IHeaders {
  const [first] = group;
  const headers: IHeaders = {};
  for (const [name, value] of Object.entries(first.message.headers ?? {})) {
    if (!name.startsWith('dlq-') && value !== undefined) headers[name] = value;
  }
  headers[REDRIVEN_FROM_HEADER] = first.position;
  const consumers = [
    ...new Set(group.map((deadLetter) => deadLetter.consumer).filter((name) => name !== null)),
  ];
  if (consumers.length > 0) headers[REDRIVEN_FOR_HEADER] = consumers.join(',');
  return headers;
}

function isNamed(deadLetter: DeadLetter, selection: RedriveSelection): boolean {
  return (
    (deadLetter.eventId !== null && (selection.ids ?? []).includes(deadLetter.eventId)) ||
    (selection.positions ?? []).includes(deadLetter.position)
  );
}

/** Why a dead letter is not redriven, or null if it is. */
function skipReason(
  deadLetter: DeadLetter,
  selection: RedriveSelection,
  redriven: Map<string, RedriveRecord>,
): string | null {
  const naming = (selection.ids?.length ?? 0) + (selection.positions?.length ?? 0) > 0;
  if (naming && !isNamed(deadLetter, selection)) return 'not named';
  if (!naming && deadLetter.type === null) {
    return 'value is not an event (poison): name it with --id or --offset to redrive it';
  }
  const before = redriven.get(deadLetter.position);
  if (before && !selection.again) return `already redriven at ${before.redriven_at} (use --again)`;
  return null;
}

/**
 * The original message a dead letter came from: several consumers of one topic may dead-letter the
 * same message, and it is republished once for all of them.
 */
function originalOf(deadLetter: DeadLetter): string {
  return deadLetter.originalOffset !== null && deadLetter.originalPartition !== null
    ? positionOf(deadLetter.originalTopic, deadLetter.originalPartition, deadLetter.originalOffset)
    : deadLetter.position;
}

async function republish(producer: Producer, group: DeadLetter[]): Promise<string> {
  const [deadLetter] = group;
  const [sent] = await producer.send({
    topic: deadLetter.originalTopic,
    acks: -1,
    messages: [
      {
        key: deadLetter.message.key,
        value: deadLetter.message.value,
        headers: redrivenHeaders(group),
        // Back to its own partition: its key's, and the only one in order with its neighbours.
        ...(deadLetter.originalPartition !== null ? { partition: deadLetter.originalPartition } : {}),
      },
    ],
  });
  return positionOf(sent.topicName, sent.partition, sent.baseOffset ?? '?');
}

/**
 * Republishes the selected dead letters to their original topic and partition (same key, value and
 * headers, the `dlq-*` ones replaced by `dlq-redriven-from` and `dlq-redriven-for`) and records each in the redrive log after it was
 * published. A crash between the two republishes it again on the next redrive, which the
 * consumers' inboxes skip: effects stay exactly-once.
 */
export async function redrive(
  kafka: Kafka,
  settings: DlqSettings,
  selection: RedriveSelection,
): Promise<RedriveOutcome[]> {
  const log = new RedriveLog(kafka, settings.redriveLogTopic, settings.readerGroupPrefix);
  const [deadLetters, redriven] = await Promise.all([
    readDeadLetters(kafka, settings, selection.topic),
    log.load(),
  ]);
  const outcomes: RedriveOutcome[] = [];
  const chosen = new Map<string, DeadLetter[]>();
  for (const deadLetter of deadLetters) {
    const reason = skipReason(deadLetter, selection, redriven);
    if (reason !== null) {
      if (reason !== 'not named') outcomes.push({ deadLetter, action: 'skipped', detail: reason });
      continue;
    }
    const original = originalOf(deadLetter);
    chosen.set(original, [...(chosen.get(original) ?? []), deadLetter]);
  }
  if (selection.dryRun) {
    for (const deadLetter of [...chosen.values()].flat()) {
      outcomes.push({ deadLetter, action: 'would_redrive', detail: deadLetter.originalTopic });
    }
    return outcomes;
  }
  if (chosen.size === 0) return outcomes;
  await log.ensureTopic();
  const producer = kafka.producer({ idempotent: true, allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const group of chosen.values()) {
      const republishedAs = await republish(producer, group);
      const redrivenAt = new Date().toISOString();
      await log.record(
        producer,
        group.map((deadLetter) => ({
          dead_letter: deadLetter.position,
          event_id: deadLetter.eventId,
          republished_as: republishedAs,
          redriven_at: redrivenAt,
        })),
      );
      for (const deadLetter of group)
        outcomes.push({ deadLetter, action: 'redriven', detail: republishedAs });
    }
  } finally {
    await producer.disconnect();
  }
  return outcomes;
}
