import { Queryable } from '@payflow/platform/outbox';
import { ClosedAs, HoldFacts, IntentClosure, MoneyEvent, intentIdOf } from '../posting-rules';

/** An authorization hold not yet voided: its entry and what it holds. */
export interface OpenHold {
  entryId: string;
  facts: HoldFacts;
}

/** What planning a batch needs to know of the book, read in the batch's transaction. */
export interface BookSnapshot {
  /** Entry id by source event id, for the batch's events already booked. */
  booked: Map<string, string>;
  /** Open holds by intent id. */
  holds: Map<string, OpenHold>;
  /** Intents whose capture or cancel (or reopening by a reversed capture) the ledger has seen. */
  closed: Map<string, IntentClosure>;
}

export async function readBookSnapshot(tx: Queryable, events: MoneyEvent[]): Promise<BookSnapshot> {
  const intentIds = [...new Set(events.map(intentIdOf))];
  const booked = (await tx.query(
    `SELECT source_event_id::text AS event_id, id::text FROM entries WHERE source_event_id = ANY($1::uuid[])`,
    [events.map((e) => e.id)],
  )) as { event_id: string; id: string }[];
  const holds = (await tx.query(
    `SELECT h.id::text AS entry_id, h.intent_id, h.merchant_id, p.amount::text AS amount, p.currency, a.provider
       FROM entries h
       JOIN postings p ON p.entry_id = h.id AND p.direction = 'debit'
       JOIN accounts a ON a.id = p.account_id
      WHERE h.kind = 'authorization_hold' AND h.intent_id = ANY($1::text[])
        AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.voids_entry_id = h.id)`,
    [intentIds],
  )) as {
    entry_id: string;
    intent_id: string;
    merchant_id: string;
    amount: string;
    currency: string;
    provider: string;
  }[];
  const closed = (await tx.query(
    `SELECT intent_id, closed_as, closed_at_version::text AS version FROM closed_intents WHERE intent_id = ANY($1::text[])`,
    [intentIds],
  )) as { intent_id: string; closed_as: ClosedAs; version: string | null }[];
  return {
    booked: new Map(booked.map((row) => [row.event_id, row.id])),
    holds: new Map(
      holds.map((row) => [
        row.intent_id,
        {
          entryId: row.entry_id,
          facts: {
            provider: row.provider,
            merchantId: row.merchant_id,
            currency: row.currency,
            amount: BigInt(row.amount),
          },
        },
      ]),
    ),
    closed: new Map(
      closed.map((row) => [
        row.intent_id,
        { closedAs: row.closed_as, version: row.version === null ? null : Number(row.version) },
      ]),
    ),
  };
}
