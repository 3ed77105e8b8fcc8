import {
  AccountKey,
  ClosedAs,
  MoneyEvent,
  PlannedEntry,
  accountCode,
  accountIdentity,
  accountScopeOf,
  accountTypeOf,
  closureOf,
  decideEntry,
  intentIdOf,
  replacesClosure,
} from '../posting-rules';
import type { BookSnapshot, OpenHold } from './book-snapshot';

/** The hold an entry voids: one already in the book, or one booked earlier in the same batch. */
export type VoidedHold = { entryId: string } | { batchIndex: number };

export interface PlannedBatchEntry {
  entry: PlannedEntry;
  event: MoneyEvent;
  voids: VoidedHold | null;
}

export interface Closure {
  intentId: string;
  eventId: string;
  closedAs: ClosedAs;
  /** The intent's aggregate_version in that event. */
  version: number;
}

/** Pure: what a batch books, given the book as it was before the batch. */
export class BatchPlan {
  readonly entries: PlannedBatchEntry[] = [];
  readonly skipped: { event: MoneyEvent; reason: string }[] = [];
  readonly closures: Closure[] = [];

  /** The argument of the database's book_batch(jsonb) function (amounts as strings: bigint). */
  toFunctionArgument(): object {
    const keys = [
      ...new Map(
        this.entries.flatMap((p) => p.entry.postings.map((l) => [accountIdentity(l.account), l.account])),
      ).values(),
    ];
    return {
      accounts: keys.map(accountRow),
      entries: this.entries.map(({ entry, event, voids }) => ({
        source_event_id: entry.sourceEventId,
        kind: entry.kind,
        merchant_id: entry.merchantId,
        intent_id: entry.intentId,
        occurred_at: event.occurred_at,
        ...(voids && 'entryId' in voids ? { voids_entry_id: voids.entryId } : {}),
        ...(voids && 'batchIndex' in voids ? { voids_batch_index: voids.batchIndex } : {}),
        postings: entry.postings.map((line) => ({
          account: accountCode(line.account),
          currency: line.account.currency,
          direction: line.direction,
          amount: line.amount.toString(),
          pending: line.pending,
        })),
      })),
      // In batch order: the function keeps the last of each intent, and knows which were reopened.
      closed_intents: this.closures.map((c) => ({
        intent_id: c.intentId,
        event_id: c.eventId,
        closed_as: c.closedAs,
        version: c.version,
      })),
    };
  }
}

/**
 * Plans the batch's events in order (duplicates in the batch book once), each seeing the book as
 * the earlier events of the batch left it: a hold booked earlier in the batch is open to a capture
 * later in it, a capture or cancel earlier in the batch closes the intent to a late authorization,
 * and a reversed capture earlier in the batch reopens it to a new one.
 */
export function planBatch(events: MoneyEvent[], book: Pick<BookSnapshot, 'holds' | 'closed'>): BatchPlan {
  const plan = new BatchPlan();
  const holds = new Map<string, OpenHold | { batchIndex: number; facts: OpenHold['facts'] }>(book.holds);
  const closed = new Map(book.closed);
  const seen = new Set<string>();
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const intentId = intentIdOf(event);
    const decision = decideEntry(
      event,
      (id) => holds.get(id)?.facts,
      (id) => closed.get(id),
    );
    const closure = closureOf(event);
    if (closure && replacesClosure(closed.get(intentId), closure)) {
      closed.set(intentId, closure);
      plan.closures.push({
        intentId,
        eventId: event.id,
        closedAs: closure.closedAs,
        version: event.aggregate_version,
      });
    }
    if (!decision.entry) {
      plan.skipped.push({ event, reason: decision.skipped });
      continue;
    }
    const { entry } = decision;
    let voids: VoidedHold | null = null;
    if (entry.voidsHold) {
      const hold = holds.get(entry.intentId)!;
      voids = 'entryId' in hold ? { entryId: hold.entryId } : { batchIndex: hold.batchIndex };
      holds.delete(entry.intentId);
    }
    plan.entries.push({ entry, event, voids });
    if (entry.kind === 'authorization_hold') {
      const debit = entry.postings[0];
      holds.set(entry.intentId, {
        batchIndex: plan.entries.length,
        facts: {
          provider: debit.account.owner,
          merchantId: entry.merchantId,
          currency: debit.account.currency,
          amount: debit.amount,
        },
      });
    }
  }
  return plan;
}

function accountRow(key: AccountKey) {
  const isMerchant = accountScopeOf(key.kind) === 'merchant';
  return {
    code: accountCode(key),
    currency: key.currency,
    kind: key.kind,
    type: accountTypeOf(key.kind),
    merchant_id: isMerchant ? key.owner : null,
    provider: isMerchant ? null : key.owner,
  };
}
