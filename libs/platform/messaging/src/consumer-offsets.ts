import type { DataSource, EntityManager } from 'typeorm';

/**
 * Each consumer's position per (wire topic, partition), kept in its own database and moved in the
 * same transaction as the handler's writes and the inbox rows (docs/decisions.md, "Offsets in the
 * consumer's database"). Kafka's committed offsets can be lost (expired, deleted, reset); these
 * cannot without the effects they describe, so a message below `next_offset` was applied (or
 * dead-lettered) already and is skipped, whatever the inbox still remembers.
 */
export function createConsumerOffsetsTableSql(schema: string): string[] {
  return [
    `CREATE TABLE "${schema}".consumer_offsets (
       consumer     text        NOT NULL,
       topic        text        NOT NULL,
       partition    int         NOT NULL,
       next_offset  bigint      NOT NULL CHECK (next_offset >= 0),
       updated_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
       PRIMARY KEY (consumer, topic, partition)
     )`,
  ];
}

export function dropConsumerOffsetsTableSql(schema: string): string[] {
  return [`DROP TABLE "${schema}".consumer_offsets`];
}

type Queryable = Pick<EntityManager, 'query'> | Pick<DataSource, 'query'>;

export class ConsumerOffsetStore {
  private readonly table: string;

  constructor(
    schema: string,
    private readonly consumer: string,
  ) {
    this.table = `"${schema}".consumer_offsets`;
  }

  /**
   * The next offset to apply on a partition, locking its row until the caller's transaction ends:
   * a consumer that lost its partition in a rebalance and the one that got it serialize here, and
   * the second sees what the first committed. Null when nothing was stored yet.
   */
  async lockNext(tx: EntityManager, topic: string, partition: number): Promise<bigint | null> {
    const rows: { next_offset: string }[] = await tx.query(
      `SELECT next_offset FROM ${this.table} WHERE consumer = $1 AND topic = $2 AND partition = $3 FOR UPDATE`,
      [this.consumer, topic, partition],
    );
    return rows.length > 0 ? BigInt(rows[0].next_offset) : null;
  }

  /** The next offset to apply, without a lock (to seek a newly assigned partition forward). */
  async next(db: Queryable, topic: string, partition: number): Promise<bigint | null> {
    const rows: { next_offset: string }[] = await db.query(
      `SELECT next_offset FROM ${this.table} WHERE consumer = $1 AND topic = $2 AND partition = $3`,
      [this.consumer, topic, partition],
    );
    return rows.length > 0 ? BigInt(rows[0].next_offset) : null;
  }

  /** Moves the partition's position forward to `nextOffset` (never backward). */
  async advance(db: Queryable, topic: string, partition: number, nextOffset: bigint): Promise<void> {
    await db.query(
      `INSERT INTO ${this.table} AS o (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, $4)
       ON CONFLICT (consumer, topic, partition) DO UPDATE
         SET next_offset = GREATEST(o.next_offset, EXCLUDED.next_offset), updated_at = clock_timestamp()`,
      [this.consumer, topic, partition, nextOffset.toString()],
    );
  }

  /** Sets the position, backward too: only for a topic that was re-created (its offsets restarted). */
  async reset(db: Queryable, topic: string, partition: number, nextOffset: bigint): Promise<void> {
    await db.query(
      `UPDATE ${this.table} SET next_offset = $4, updated_at = clock_timestamp()
        WHERE consumer = $1 AND topic = $2 AND partition = $3`,
      [this.consumer, topic, partition, nextOffset.toString()],
    );
  }
}
