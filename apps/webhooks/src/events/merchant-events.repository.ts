import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';
import type { MerchantEventObject } from './merchant-event-mapping';

export interface MerchantEventRow {
  id: string;
  merchant_id: string;
  type: string;
  payload: MerchantEventObject;
  created_at: Date;
}

/** SQL of `merchant_events`. */
@Injectable()
export class MerchantEventsRepository {
  /**
   * Stores the event unless one was already built from this source event; true if it was new.
   * `payload` is `json` (not jsonb): its text is kept exactly, so deliveries send and sign the same
   * bytes every time, in the key order of the object (id, object, type, created, data).
   */
  async insertOnce(
    tx: Queryable,
    event: MerchantEventObject,
    merchantId: string,
    sourceEventId: string,
  ): Promise<boolean> {
    const rows = rowsOf(
      await tx.query(
        `INSERT INTO merchant_events (id, merchant_id, type, source_event_id, payload, created_at)
         VALUES ($1, $2, $3, $4, $5::json, $6)
         ON CONFLICT (source_event_id) DO NOTHING RETURNING id`,
        [event.id, merchantId, event.type, sourceEventId, JSON.stringify(event), new Date(event.created)],
      ),
    );
    return rows.length === 1;
  }

  async find(db: Queryable, merchantId: string, id: string): Promise<MerchantEventRow | null> {
    const [row] = rowsOf<MerchantEventRow>(
      await db.query(`SELECT * FROM merchant_events WHERE id = $1 AND merchant_id = $2`, [id, merchantId]),
    );
    return row ?? null;
  }

  /** Newest first by (created_at, id), `limit + 1` rows. */
  async list(
    db: Queryable,
    merchantId: string,
    options: { limit: number; type?: string; after?: MerchantEventRow },
  ): Promise<MerchantEventRow[]> {
    return rowsOf<MerchantEventRow>(
      await db.query(
        `SELECT * FROM merchant_events
          WHERE merchant_id = $1
            AND ($2::text IS NULL OR type = $2)
            AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::text))
          ORDER BY created_at DESC, id DESC LIMIT $5`,
        [
          merchantId,
          options.type ?? null,
          options.after?.created_at ?? null,
          options.after?.id ?? null,
          options.limit + 1,
        ],
      ),
    );
  }

  /** Deletes events created before `before` (their deliveries and attempts cascade), a chunk at a time. */
  async prune(db: Queryable, before: Date, chunk = 5_000): Promise<number> {
    let total = 0;
    for (;;) {
      const [, deleted] = (await db.query(
        `DELETE FROM merchant_events WHERE id IN (SELECT id FROM merchant_events WHERE created_at < $1 ORDER BY created_at LIMIT ${chunk})`,
        [before],
      )) as [unknown, number];
      total += deleted;
      if (deleted < chunk) return total;
    }
  }
}
