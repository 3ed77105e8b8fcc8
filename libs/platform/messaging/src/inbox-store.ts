import type { DataSource, EntityManager } from 'typeorm';
import { EventEnvelope } from '@payflow/contracts';

/** The inbox table of a schema: which events a consumer has already applied. */
export class InboxStore {
  private readonly table: string;

  constructor(
    schema: string,
    private readonly consumer: string,
  ) {
    this.table = `"${schema}".inbox`;
  }

  /** Records the events in the caller's transaction; returns those not seen before, in order. */
  async claim(tx: EntityManager, events: EventEnvelope[]): Promise<EventEnvelope[]> {
    if (events.length === 0) return [];
    const rows: { event_id: string }[] = await tx.query(
      `INSERT INTO ${this.table} (consumer, event_id, event_type)
       SELECT $1, id, type FROM unnest($2::uuid[], $3::text[]) AS e(id, type)
       ON CONFLICT (consumer, event_id) DO NOTHING
       RETURNING event_id`,
      [this.consumer, events.map((e) => e.id), events.map((e) => e.type)],
    );
    const fresh = new Set(rows.map((row) => row.event_id));
    // Two copies of one event in the same batch: only the first is applied.
    const seen = new Set<string>();
    return events.filter((e) => {
      if (!fresh.has(e.id) || seen.has(e.id)) return false;
      seen.add(e.id);
      return true;
    });
  }

  /**
   * Deletes this consumer's inbox rows processed before `processedBefore`, `chunkSize` rows per
   * transaction so no statement holds locks or bloats WAL for long. Only one replica prunes at a
   * time: each chunk first takes a transaction-level advisory lock per (schema, consumer) and the
   * run ends as soon as another replica holds it. Returns the rows deleted.
   */
  async prune(dataSource: DataSource, processedBefore: Date, chunkSize = PRUNE_CHUNK_SIZE): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await dataSource.transaction(async (tx) => {
        const [{ locked }]: { locked: boolean }[] = await tx.query(
          `SELECT pg_try_advisory_xact_lock(hashtext('payflow.inbox-prune'), hashtext($1)) AS locked`,
          [`${this.table}:${this.consumer}`],
        );
        if (!locked) return 0;
        const result: [unknown[], number] = await tx.query(
          `DELETE FROM ${this.table} WHERE (consumer, event_id) IN (
             SELECT consumer, event_id FROM ${this.table}
              WHERE consumer = $1 AND processed_at < $2 LIMIT $3)`,
          [this.consumer, processedBefore, chunkSize],
        );
        return result[1] ?? 0;
      });
      total += deleted;
      if (deleted < chunkSize) return total;
    }
  }
}

/** Rows deleted per pruning transaction. */
export const PRUNE_CHUNK_SIZE = 5_000;
