import { Injectable, Logger } from '@nestjs/common';
import { EventEnvelope, TOPICS, createEvent } from '@payflow/contracts';
import { OutboxWriter, Queryable } from '@payflow/platform/outbox';
import { MoneyEvent, PlannedEntry, accountCode } from '../posting-rules';
import { BatchPlan, planBatch } from './batch-plan';
import { readBookSnapshot } from './book-snapshot';

export interface BookedEntry {
  entryId: string;
  sourceEventId: string;
  /** False when the event had been booked before: the first entry is returned. */
  created: boolean;
}

/**
 * Books a batch of money events in the caller's transaction with a constant number of statements,
 * whatever the batch size. It reads what the plan needs (events already booked, open holds, closed
 * intents), plans every entry with the posting rules, and hands the whole batch to the database's
 * book_batch function, the only way the ledger's runtime role can write the book: that function
 * locks the accounts once each in id order (opening the missing ones), inserts entries and postings
 * with multi-row statements, writes each touched balance once and checks every rule of the book.
 * Events already booked are skipped (idempotent on the source event id) and return their first
 * entry; events that no longer apply (late ones) book nothing and are logged with the reason.
 */
@Injectable()
export class BookWriter {
  private readonly logger = new Logger(BookWriter.name);

  constructor(private readonly outbox: OutboxWriter) {}

  async book(tx: Queryable, events: MoneyEvent[]): Promise<BookedEntry[]> {
    if (events.length === 0) return [];
    const snapshot = await readBookSnapshot(tx, events);
    const results: BookedEntry[] = events
      .filter((e) => snapshot.booked.has(e.id))
      .map((e) => ({ entryId: snapshot.booked.get(e.id)!, sourceEventId: e.id, created: false }));
    const plan = planBatch(events.filter((e) => !snapshot.booked.has(e.id)), snapshot);
    for (const skip of plan.skipped) this.logger.log(`event ${skip.event.id} (${skip.event.type}) books nothing: ${skip.reason}`);
    if (plan.entries.length === 0 && plan.closures.length === 0) return results;

    const entryIds = await this.bookBatch(tx, plan);
    if (plan.entries.length === 0) return results;
    await this.outbox.append(
      tx,
      plan.entries.map(({ entry, event }) => ({
        topic: TOPICS.ledger,
        key: entry.intentId,
        event: entryPostedEvent(entry, entryIds.get(event.id)!, event),
      })),
    );
    return [...results, ...plan.entries.map((p) => ({ entryId: entryIds.get(p.event.id)!, sourceEventId: p.event.id, created: true }))];
  }

  /** One call of the database function; returns each new entry's id by its source event id. */
  private async bookBatch(tx: Queryable, plan: BatchPlan): Promise<Map<string, string>> {
    const rows = (await tx.query(`SELECT booked_event_id::text AS event_id, booked_entry_id::text AS entry_id FROM book_batch($1::jsonb)`, [
      JSON.stringify(plan.toFunctionArgument()),
    ])) as { event_id: string; entry_id: string }[];
    return new Map(rows.map((row) => [row.event_id, row.entry_id]));
  }
}

function entryPostedEvent(entry: PlannedEntry, entryId: string, cause: EventEnvelope): EventEnvelope {
  return createEvent({
    type: 'ledger.entry_posted',
    source: 'ledger',
    aggregate_type: 'ledger_entry',
    aggregate_id: entryId,
    aggregate_version: 1,
    merchant_id: entry.merchantId,
    correlation_id: cause.correlation_id,
    causation_id: cause.id,
    data: {
      entry_id: entryId,
      source_event_id: entry.sourceEventId,
      postings: entry.postings.map((line) => ({
        account: accountCode(line.account),
        direction: line.direction,
        amount: Number(line.amount),
        currency: line.account.currency,
        pending: line.pending,
      })),
    },
  });
}
