import { DeadLetter } from './dead-letters';
import { RedriveOutcome } from './redrive';
import { RedriveRecord } from './redrive-log';

/** A dead letter as `--json` prints it: one object per line, snake_case like the events. */
export function deadLetterJson(
  deadLetter: DeadLetter,
  redrive: RedriveRecord | undefined,
): Record<string, unknown> {
  return {
    dlq_topic: deadLetter.dlqTopic,
    partition: deadLetter.partition,
    offset: deadLetter.offset,
    position: deadLetter.position,
    topic: deadLetter.originalTopic,
    original_partition: deadLetter.originalPartition,
    original_offset: deadLetter.originalOffset,
    event_id: deadLetter.eventId,
    type: deadLetter.type,
    key: deadLetter.key,
    error: deadLetter.error,
    reason: deadLetter.reason,
    attempts: deadLetter.attempts,
    consumer: deadLetter.consumer,
    dead_lettered_at: deadLetter.deadLetteredAt,
    redriven: redrive !== undefined,
    redriven_at: redrive?.redriven_at ?? null,
    republished_as: redrive?.republished_as ?? null,
  };
}

/** A redrive's outcome for one dead letter: `action`, `detail` (why skipped, or where it went), the dead letter. */
export function outcomeJson(outcome: RedriveOutcome): Record<string, unknown> {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { redriven, redriven_at, republished_as, ...deadLetter } = deadLetterJson(
    outcome.deadLetter,
    undefined,
  );
  return { action: outcome.action, detail: outcome.detail, ...deadLetter };
}

/** The listing for people: per dead-letter topic a heading, then two lines per dead letter. */
export function listingText(deadLetters: DeadLetter[], redrives: Map<string, RedriveRecord>): string {
  if (deadLetters.length === 0) return 'no dead letters\n';
  const byTopic = new Map<string, DeadLetter[]>();
  for (const deadLetter of deadLetters) {
    byTopic.set(deadLetter.dlqTopic, [...(byTopic.get(deadLetter.dlqTopic) ?? []), deadLetter]);
  }
  const lines: string[] = [];
  for (const [topic, letters] of byTopic) {
    const redriven = letters.filter((letter) => redrives.has(letter.position)).length;
    lines.push(`${topic}: ${letters.length} dead letter(s), ${redriven} redriven`);
    for (const letter of letters) {
      const redrive = redrives.get(letter.position);
      lines.push(
        `  ${letter.partition}:${letter.offset}  ${letter.deadLetteredAt}  ${letter.type ?? '(not an event)'}  ` +
          `id=${letter.eventId ?? '-'}  key=${letter.key ?? '-'}  consumer=${letter.consumer ?? '-'}  ` +
          `attempts=${letter.attempts ?? '-'}  ${redrive ? `redriven ${redrive.redriven_at} as ${redrive.republished_as}` : 'not redriven'}`,
        `      ${letter.reason ?? 'error'}: ${letter.error ?? '(no error header)'}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

export function outcomeText(outcome: RedriveOutcome): string {
  const { deadLetter } = outcome;
  const what = `${deadLetter.position} ${deadLetter.type ?? '(not an event)'} ${deadLetter.eventId ?? '-'}`;
  switch (outcome.action) {
    case 'redriven':
      return `redriven ${what} -> ${outcome.detail}`;
    case 'would_redrive':
      return `would redrive ${what} -> ${outcome.detail}`;
    case 'skipped':
      return `skipped ${what}: ${outcome.detail}`;
  }
}
