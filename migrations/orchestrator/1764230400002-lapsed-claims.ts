import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Lease loss (docs/orchestrator.md, "Lease loss"): a claim that finds the previous claim's lease
 * still set — that claim never recorded an outcome (the worker died, its second transaction failed,
 * or its call outlived the lease) — marks the attempt `maybe_executed` and counts the lapse here.
 * `maybe_executed` already exists; this adds the count that shows how an attempt came to be marked.
 */
export class LapsedClaims1764230400002 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE attempts ADD COLUMN lapsed_claims integer NOT NULL DEFAULT 0 CHECK (lapsed_claims >= 0)`,
    );
    await runner.query(`COMMENT ON COLUMN attempts.lapsed_claims IS
      'Claims of this attempt whose lease lapsed without an outcome recorded; any lapse sets maybe_executed'`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE attempts DROP COLUMN lapsed_claims`);
  }
}
