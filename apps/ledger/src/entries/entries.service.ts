import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { toJsonAmount } from '../balances/balances.service';

export interface EntryView {
  id: string;
  object: 'ledger_entry';
  kind: string;
  merchant_id: string;
  payment_intent: string | null;
  source_event_id: string;
  voids_entry: string | null;
  reverses_entry: string | null;
  occurred_at: string;
  created: string;
  postings: { account: string; currency: string; direction: string; amount: number; pending: boolean }[];
}

export interface EntryList {
  object: 'list';
  data: EntryView[];
  has_more: boolean;
}

/** Public entry ids are `le_<number>`; the number orders entries. */
export const entryPublicId = (id: string) => `le_${id}`;
export function parseEntryId(publicId: string): string | null {
  const match = /^le_(\d{1,18})$/.exec(publicId);
  return match ? match[1] : null;
}

/** A merchant's journal entries with their postings, newest first, cursor-paginated. */
@Injectable()
export class EntriesService {
  constructor(private readonly dataSource: DataSource) {}

  async list(merchantId: string, limit: number, startingAfter?: string): Promise<EntryList> {
    const cursor = startingAfter ? parseEntryId(startingAfter) : null;
    const entries = await this.dataSource.query(
      `SELECT id::text, kind, merchant_id, intent_id, source_event_id::text, voids_entry_id::text,
              reverses_entry_id::text, occurred_at, created_at
         FROM entries WHERE merchant_id = $1 AND ($2::bigint IS NULL OR id < $2)
        ORDER BY id DESC LIMIT $3`,
      [merchantId, cursor, limit + 1],
    );
    const page = entries.slice(0, limit);
    const postings = page.length
      ? await this.dataSource.query(
          `SELECT p.entry_id::text, a.code, p.currency, p.direction, p.amount::text, p.pending
             FROM postings p JOIN accounts a ON a.id = p.account_id
            WHERE p.entry_id = ANY($1::bigint[]) ORDER BY p.id`,
          [page.map((e: { id: string }) => e.id)],
        )
      : [];
    return {
      object: 'list',
      has_more: entries.length > limit,
      data: page.map((e: Record<string, string & Date>) => ({
        id: entryPublicId(e['id']),
        object: 'ledger_entry',
        kind: e['kind'],
        merchant_id: e['merchant_id'],
        payment_intent: e['intent_id'],
        source_event_id: e['source_event_id'],
        voids_entry: e['voids_entry_id'] ? entryPublicId(e['voids_entry_id']) : null,
        reverses_entry: e['reverses_entry_id'] ? entryPublicId(e['reverses_entry_id']) : null,
        occurred_at: new Date(e['occurred_at']).toISOString(),
        created: new Date(e['created_at']).toISOString(),
        postings: postings
          .filter((p: { entry_id: string }) => p.entry_id === e['id'])
          .map((p: Record<string, string | boolean>) => ({
            account: p['code'] as string,
            currency: p['currency'] as string,
            direction: p['direction'] as string,
            amount: toJsonAmount(p['amount'] as string),
            pending: p['pending'] as boolean,
          })),
      })),
    };
  }
}
