import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Pending notifications are also looked up by the attempt they name (Adyen's signed
 * merchantReference may give only the attempt): every attempt change retries them, so the lookup
 * must not scan the table.
 */
export class PendingNotificationsByAttempt1765000000100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX psp_notifications_pending_attempt_idx ON psp_notifications (attempt_id, id) WHERE status = 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX psp_notifications_pending_attempt_idx`);
  }
}
