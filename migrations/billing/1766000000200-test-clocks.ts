import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the advance saga keeps in the clock's row beyond its time and target (docs/billing.md "Test
 * clocks and time"):
 * - `version`: the aggregate version of the clock's `test_clock.advanced` events, one per step, so
 *   a consumer can order them and spot a stale one (DESIGN.md "Events": monotonic per aggregate).
 * - `waiting_since`: when (wall clock) the advancing clock reached its current instant, null while it
 *   is `ready`: how long it has been held there (its work, payments without an answer, later
 *   dunning). In the row rather than in a process, so every replica and a restarted one agree on
 *   how long a clock has waited (TEST_CLOCK_STEP_TIMEOUT_MS, gauge `billing_test_clock_waiting`).
 */
export class TestClocks1766000000200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE test_clocks ADD COLUMN version integer NOT NULL DEFAULT 0 CHECK (version >= 0)`,
    );
    await runner.query(`ALTER TABLE test_clocks ADD COLUMN waiting_since timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE test_clocks DROP COLUMN waiting_since`);
    await runner.query(`ALTER TABLE test_clocks DROP COLUMN version`);
  }
}
