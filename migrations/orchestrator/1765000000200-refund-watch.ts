import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A refund can fail after it succeeded (Stripe `refund.failed`). Where the PSP lets refunds be read,
 * a succeeded refund is read again for a while (`verify_at`, the next read), so a lost
 * `refund.failed` webhook still reverses it (docs/orchestrator.md, "Watching succeeded refunds").
 */
export class RefundWatch1765000000200 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE attempts ADD COLUMN verify_at timestamptz`);
    await runner.query(
      `CREATE INDEX attempts_verify_idx ON attempts (verify_at) WHERE verify_at IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX attempts_verify_idx`);
    await runner.query(`ALTER TABLE attempts DROP COLUMN verify_at`);
  }
}
