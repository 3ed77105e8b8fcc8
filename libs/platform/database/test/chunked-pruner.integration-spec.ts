import { TestClock } from '@payflow/platform/clock';
import { TestSchema, createTestSchema } from '@payflow/platform/testing';
import { ChunkedPruner } from '../src';

const HOUR = 3_600_000;

/** `things` to prune, and a trigger that logs which transaction deleted each row (to see the chunks). */
const tablesSql = (schema: string) => [
  `CREATE TABLE "${schema}".things (id serial PRIMARY KEY, created_at timestamptz NOT NULL)`,
  `CREATE TABLE "${schema}".deletions (id int NOT NULL, tx bigint NOT NULL)`,
  `CREATE FUNCTION "${schema}".log_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
     BEGIN INSERT INTO "${schema}".deletions VALUES (OLD.id, txid_current()); RETURN OLD; END $$`,
  `CREATE TRIGGER log_deletion AFTER DELETE ON "${schema}".things FOR EACH ROW EXECUTE FUNCTION "${schema}".log_deletion()`,
];

describe('ChunkedPruner', () => {
  let db: TestSchema;
  let clock: TestClock;
  let pruner: ChunkedPruner;

  beforeEach(async () => {
    db = await createTestSchema('pruner', tablesSql);
    clock = new TestClock(new Date('2026-06-01T12:00:00Z'));
    pruner = new ChunkedPruner(db.dataSource, clock, {
      name: 'things',
      schema: db.schema,
      table: 'things',
      timeColumn: 'created_at',
      retentionMs: 24 * HOUR,
      intervalMs: 60_000,
      chunkSize: 10,
    });
    const old = new Date(clock.nowMs() - 25 * HOUR);
    const fresh = new Date(clock.nowMs() - 23 * HOUR);
    await db.pool.query(
      `INSERT INTO "${db.schema}".things (created_at) SELECT $1::timestamptz FROM generate_series(1, 35)
       UNION ALL SELECT $2::timestamptz FROM generate_series(1, 5)`,
      [old, fresh],
    );
  });

  afterEach(() => db.drop());

  it('deletes only rows past retention, at most one chunk per transaction', async () => {
    expect(await pruner.prune()).toBe(35);
    const { rows: left } = await db.pool.query(`SELECT count(*)::int AS n FROM "${db.schema}".things`);
    expect(left[0].n).toBe(5);
    const { rows: chunks } = await db.pool.query(
      `SELECT count(*)::int AS n FROM "${db.schema}".deletions GROUP BY tx ORDER BY n DESC`,
    );
    expect(chunks.map((chunk) => chunk.n)).toEqual([10, 10, 10, 5]);
  });

  it('leaves the run to the replica that holds the pruning lock', async () => {
    const other = await db.pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `prune:"${db.schema}"."things"`,
      ]);
      expect(await pruner.prune()).toBe(0);
      await other.query('COMMIT');
    } finally {
      other.release();
    }
    expect(await pruner.prune()).toBe(35);
  });
});
