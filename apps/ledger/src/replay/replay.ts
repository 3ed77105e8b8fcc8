import { randomBytes } from 'node:crypto';
import { KafkaMessage } from 'kafkajs';
import { TOPICS, deadLetterTopicOf, validateEvent } from '@payflow/contracts';
import { createKafka, isAddressedTo } from '@payflow/platform/messaging';
import { OutboxWriter } from '@payflow/platform/outbox';
import { BookWriter } from '../book/book-writer';
import { MoneyEvent, isMoneyEvent } from '../posting-rules';
import { BookDifference, compareBooks } from './compare-books';
import { createScratchBook, readBook, schemaDataSource } from './scratch-book';
import { ReadMessage, readTopicToCurrentEnd } from './topic-reader';

/** The consumer name under which the ledger service reads the intents topic (its dead letters say it). */
const LEDGER_CONSUMER = 'ledger';

export interface ReplayOptions {
  adminUrl: string;
  brokers: string;
  topicPrefix: string;
  /** The book to compare with (a schema of the ledger's shape). */
  against: string;
  /** Keep the scratch schema instead of dropping it. */
  keep: boolean;
  /** Most events booked in one transaction, as the live consumer's chunks. */
  batchSize: number;
}

export interface ReplayReport {
  name: 'replay:ledger';
  /** Entries the replay booked. */
  entries: number;
  differences: number;
  events: number;
  live_entries: number;
  accounts: number;
  /** Messages skipped: not valid money events the ledger would have applied. */
  skipped_invalid: number;
  /** First deliveries the ledger dead-lettered; their redriven copies are booked where they are. */
  skipped_dead_lettered: number;
  against: string;
  scratch_schema: string;
  kept: boolean;
  duration_ms: number;
}

/**
 * Rebuilds the ledger from the intents topic alone, with the same posting code (BookWriter and the
 * book_batch function built by the ledger's own migrations), into a scratch schema, and compares it
 * with the book in `against`, entry by entry and balance by balance.
 */
export async function replayLedger(options: ReplayOptions): Promise<{ report: ReplayReport; differences: BookDifference[] }> {
  const started = Date.now();
  const kafka = createKafka('payflow-replay-ledger', options.brokers);
  const topic = `${options.topicPrefix}${TOPICS.intents}`;
  const groupPrefix = `${options.topicPrefix}ledger-replay`;
  const partitions = await readTopicToCurrentEnd(kafka, topic, groupPrefix);
  const deadLetters = await readTopicToCurrentEnd(kafka, `${options.topicPrefix}${deadLetterTopicOf(TOPICS.intents)}`, groupPrefix);
  const skip = deadLetteredByLedger(deadLetters, [topic, TOPICS.intents]);

  const scratch = `ledger_replay_${randomBytes(4).toString('hex')}`;
  const dataSource = await schemaDataSource(options.adminUrl, scratch).initialize();
  let kept = false;
  try {
    await createScratchBook(dataSource, scratch);
    const writer = new BookWriter(new OutboxWriter(scratch));
    let events = 0;
    let skippedInvalid = 0;
    let skippedDeadLettered = 0;
    for (const messages of partitions.values()) {
      const batch: MoneyEvent[] = [];
      const flush = async () => {
        if (batch.length === 0) return;
        await dataSource.transaction('READ COMMITTED', (tx) => writer.book(tx, batch.splice(0)));
      };
      for (const { partition, offset, message } of messages) {
        if (skip.has(`${partition}:${offset}`)) {
          skippedDeadLettered++;
          continue;
        }
        const event = moneyEventOf(message);
        if (!event) {
          skippedInvalid++;
          continue;
        }
        events++;
        batch.push(event);
        if (batch.length >= options.batchSize) await flush();
      }
      await flush();
    }
    const replayed = await readBook(dataSource, scratch);
    const live = await readBook(dataSource, options.against);
    const differences = compareBooks(replayed, live);
    kept = options.keep;
    return {
      differences,
      report: {
        name: 'replay:ledger',
        entries: replayed.entries.length,
        differences: differences.length,
        events,
        live_entries: live.entries.length,
        accounts: replayed.accounts.length,
        skipped_invalid: skippedInvalid,
        skipped_dead_lettered: skippedDeadLettered,
        against: options.against,
        scratch_schema: scratch,
        kept,
        duration_ms: Date.now() - started,
      },
    };
  } finally {
    if (!kept) await dataSource.query(`DROP SCHEMA IF EXISTS "${scratch}" CASCADE`);
    await dataSource.destroy();
  }
}

/**
 * A valid money event, or null for what the live consumer would not have booked: a value that is
 * not JSON or does not validate (dead-lettered there too), an event type the ledger does not take,
 * a redrive meant for another consumer.
 */
function moneyEventOf(message: KafkaMessage): MoneyEvent | null {
  if (!isAddressedTo(message.headers, LEDGER_CONSUMER)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(message.value?.toString() ?? '');
  } catch {
    return null;
  }
  const result = validateEvent(raw);
  return result.ok && isMoneyEvent(result.event) ? result.event : null;
}

/**
 * Positions (`partition:offset`) of the intents topic that the ledger's consumer dead-lettered. The
 * live book applied those events only when they were redriven, later in the topic, so the replay
 * books them there too and skips the first delivery.
 */
function deadLetteredByLedger(deadLetters: Map<number, ReadMessage[]>, originTopics: string[]): Set<string> {
  const positions = new Set<string>();
  for (const { message } of [...deadLetters.values()].flat()) {
    const header = (name: string) => message.headers?.[name]?.toString();
    if (header('dlq-consumer') !== LEDGER_CONSUMER || !originTopics.includes(header('dlq-original-topic') ?? '')) continue;
    positions.add(`${header('dlq-original-partition')}:${header('dlq-original-offset')}`);
  }
  return positions;
}
