import type { EntityManager } from 'typeorm';
import type { DataSource } from 'typeorm';
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

  async prune(dataSource: DataSource, processedBefore: Date): Promise<number> {
    const result: [unknown[], number] = await dataSource.query(
      `DELETE FROM ${this.table} WHERE consumer = $1 AND processed_at < $2`,
      [this.consumer, processedBefore],
    );
    return result[1] ?? 0;
  }
}
