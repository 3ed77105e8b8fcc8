import { Injectable } from '@nestjs/common';
import { EventEnvelope, TOPICS, createEvent } from '@payflow/contracts';
import { OutboxWriter, Queryable } from '@payflow/platform/outbox';
import {
  AccountKey,
  HoldFacts,
  MoneyEvent,
  PlannedEntry,
  accountCode,
  accountIdentity,
  accountTypeOf,
  planEntry,
} from '../posting-rules';

export interface BookedEntry {
  entryId: string;
  sourceEventId: string;
  /** False when the event had been booked before: the first entry is returned. */
  created: boolean;
}

interface OpenHold {
  entryId: string;
  facts: HoldFacts;
}

interface AccountRow {
  id: string;
  code: string;
  currency: string;
}

/**
 * Books a batch of money events in the caller's transaction with a constant number of statements,
 * whatever the batch size: accounts opened and locked once each in id order (no deadlocks), entries
 * and postings inserted with multi-row statements, each touched balance written once. Events
 * already booked are skipped (idempotent on the source event id) and return their first entry.
 */
@Injectable()
export class BookWriter {
  constructor(private readonly outbox: OutboxWriter) {}

  async book(tx: Queryable, events: MoneyEvent[]): Promise<BookedEntry[]> {
    if (events.length === 0) return [];
    const booked = await this.alreadyBooked(tx, events);
    const fresh = dedupe(events.filter((e) => !booked.has(e.id)));
    const results: BookedEntry[] = events
      .filter((e) => booked.has(e.id))
      .map((e) => ({ entryId: booked.get(e.id)!, sourceEventId: e.id, created: false }));
    if (fresh.length === 0) return results;

    const holds = await this.openHolds(tx, fresh);
    const ids = await this.allocateEntryIds(tx, fresh.length);
    const planned: { entry: PlannedEntry; id: string; voids: string | null; event: MoneyEvent }[] = [];
    for (const event of fresh) {
      const entry = planEntry(event, (intentId) => holds.get(intentId)?.facts);
      if (!entry) continue;
      const id = ids[planned.length];
      let voids: string | null = null;
      if (entry.voidsHold) {
        voids = holds.get(entry.intentId)!.entryId;
        holds.delete(entry.intentId);
      }
      if (entry.kind === 'authorization_hold') {
        const debit = entry.postings[0];
        holds.set(entry.intentId, {
          entryId: id,
          facts: { provider: debit.account.owner, merchantId: entry.merchantId, currency: debit.account.currency, amount: debit.amount },
        });
      }
      planned.push({ entry, id, voids, event });
    }
    if (planned.length === 0) return results;

    const accounts = await this.openAndLockAccounts(
      tx,
      planned.flatMap((p) => p.entry.postings.map((line) => line.account)),
    );
    await this.insertEntries(tx, planned);
    await this.insertPostings(tx, planned, accounts);
    await this.applyBalances(tx, planned, accounts);
    await this.outbox.append(
      tx,
      planned.map(({ entry, id, event }) => ({
        topic: TOPICS.ledger,
        key: entry.intentId,
        event: entryPostedEvent(entry, id, event),
      })),
    );
    return [...results, ...planned.map((p) => ({ entryId: p.id, sourceEventId: p.event.id, created: true }))];
  }

  private async alreadyBooked(tx: Queryable, events: MoneyEvent[]): Promise<Map<string, string>> {
    const rows = (await tx.query(`SELECT source_event_id::text AS event_id, id::text FROM entries WHERE source_event_id = ANY($1::uuid[])`, [
      events.map((e) => e.id),
    ])) as { event_id: string; id: string }[];
    return new Map(rows.map((row) => [row.event_id, row.id]));
  }

  /** Authorization holds not yet voided, for the intents this batch touches. */
  private async openHolds(tx: Queryable, events: MoneyEvent[]): Promise<Map<string, OpenHold>> {
    const intentIds = [...new Set(events.map(intentIdOf))];
    const rows = (await tx.query(
      `SELECT h.id::text AS entry_id, h.intent_id, h.merchant_id, p.amount::text AS amount, p.currency, a.provider
         FROM entries h
         JOIN postings p ON p.entry_id = h.id AND p.direction = 'debit'
         JOIN accounts a ON a.id = p.account_id
        WHERE h.kind = 'authorization_hold' AND h.intent_id = ANY($1::text[])
          AND NOT EXISTS (SELECT 1 FROM entries v WHERE v.voids_entry_id = h.id)`,
      [intentIds],
    )) as { entry_id: string; intent_id: string; merchant_id: string; amount: string; currency: string; provider: string }[];
    return new Map(
      rows.map((row) => [
        row.intent_id,
        {
          entryId: row.entry_id,
          facts: { provider: row.provider, merchantId: row.merchant_id, currency: row.currency, amount: BigInt(row.amount) },
        },
      ]),
    );
  }

  private async allocateEntryIds(tx: Queryable, count: number): Promise<string[]> {
    const rows = (await tx.query(`SELECT nextval('entries_id_seq')::text AS id FROM generate_series(1, $1)`, [count])) as {
      id: string;
    }[];
    return rows.map((row) => row.id);
  }

  /**
   * Locks every touched account, opening the missing ones. Locks are taken in id order and new
   * accounts inserted in (code, currency) order, so concurrent batches never wait on each other in
   * a cycle. Accounts exist after their first use, so the insert is usually skipped.
   */
  private async openAndLockAccounts(tx: Queryable, keys: AccountKey[]): Promise<Map<string, string>> {
    const unique = [...new Map(keys.map((key) => [accountIdentity(key), key])).values()].sort((a, b) =>
      accountIdentity(a) < accountIdentity(b) ? -1 : 1,
    );
    const ids = await this.lockAccounts(tx, unique);
    const missing = unique.filter((key) => !ids.has(accountIdentity(key)));
    if (missing.length === 0) return ids;
    const isMerchant = (key: AccountKey) => key.kind !== 'psp_receivable';
    await tx.query(
      `INSERT INTO accounts (code, currency, kind, type, merchant_id, provider)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
       ON CONFLICT (code, currency) DO NOTHING`,
      [
        missing.map(accountCode),
        missing.map((k) => k.currency),
        missing.map((k) => k.kind),
        missing.map((k) => accountTypeOf(k.kind)),
        missing.map((k) => (isMerchant(k) ? k.owner : null)),
        missing.map((k) => (isMerchant(k) ? null : k.owner)),
      ],
    );
    for (const [identity, id] of await this.lockAccounts(tx, missing)) ids.set(identity, id);
    return ids;
  }

  private async lockAccounts(tx: Queryable, keys: AccountKey[]): Promise<Map<string, string>> {
    const rows = (await tx.query(
      `SELECT a.id::text, a.code, a.currency FROM accounts a
         JOIN unnest($1::text[], $2::text[]) AS k(code, currency) ON a.code = k.code AND a.currency = k.currency
        ORDER BY a.id FOR UPDATE OF a`,
      [keys.map(accountCode), keys.map((k) => k.currency)],
    )) as AccountRow[];
    return new Map(rows.map((row) => [`${row.code}/${row.currency}`, row.id]));
  }

  private async insertEntries(
    tx: Queryable,
    planned: { entry: PlannedEntry; id: string; voids: string | null; event: MoneyEvent }[],
  ): Promise<void> {
    await tx.query(
      `INSERT INTO entries (id, source_event_id, kind, merchant_id, intent_id, voids_entry_id, occurred_at)
       SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::timestamptz[])`,
      [
        planned.map((p) => p.id),
        planned.map((p) => p.entry.sourceEventId),
        planned.map((p) => p.entry.kind),
        planned.map((p) => p.entry.merchantId),
        planned.map((p) => p.entry.intentId),
        planned.map((p) => p.voids),
        planned.map((p) => p.event.occurred_at),
      ],
    );
  }

  private async insertPostings(
    tx: Queryable,
    planned: { entry: PlannedEntry; id: string }[],
    accounts: Map<string, string>,
  ): Promise<void> {
    const lines = planned.flatMap((p) => p.entry.postings.map((line) => ({ entryId: p.id, line })));
    await tx.query(
      `INSERT INTO postings (entry_id, account_id, direction, amount, currency, pending)
       SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::boolean[])`,
      [
        lines.map((l) => l.entryId),
        lines.map((l) => accounts.get(accountIdentity(l.line.account))),
        lines.map((l) => l.line.direction),
        lines.map((l) => l.line.amount.toString()),
        lines.map((l) => l.line.account.currency),
        lines.map((l) => l.line.pending),
      ],
    );
  }

  /** Sums each account's movement in memory and writes each balance once. */
  private async applyBalances(tx: Queryable, planned: { entry: PlannedEntry }[], accounts: Map<string, string>): Promise<void> {
    const deltas = new Map<string, [bigint, bigint, bigint, bigint]>();
    for (const line of planned.flatMap((p) => p.entry.postings)) {
      const id = accounts.get(accountIdentity(line.account))!;
      const delta = deltas.get(id) ?? [0n, 0n, 0n, 0n];
      const column = (line.pending ? 2 : 0) + (line.direction === 'debit' ? 0 : 1);
      delta[column] += line.amount;
      deltas.set(id, delta);
    }
    const ids = [...deltas.keys()];
    const column = (i: number) => ids.map((id) => deltas.get(id)![i].toString());
    await tx.query(
      `UPDATE accounts a
          SET debits_posted = a.debits_posted + d.dp, credits_posted = a.credits_posted + d.cp,
              debits_pending = a.debits_pending + d.dpe, credits_pending = a.credits_pending + d.cpe
         FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::bigint[]) AS d(id, dp, cp, dpe, cpe)
        WHERE a.id = d.id`,
      [ids, column(0), column(1), column(2), column(3)],
    );
  }
}

function intentIdOf(event: MoneyEvent): string {
  return event.type === 'refund.succeeded' ? event.data.refund.payment_intent : event.data.intent.id;
}

/** The same event twice in one batch books once. */
function dedupe(events: MoneyEvent[]): MoneyEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.id) && seen.add(e.id) !== undefined);
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
