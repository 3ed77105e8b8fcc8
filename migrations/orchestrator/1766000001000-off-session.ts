import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: billing's invoice payments are merchant-initiated without the customer present. An
 * authorization attempt records it (`off_session`, from `payment_intent.authorization_requested`),
 * so every call of the attempt — retries, failover, replays — tells the PSP the same: Stripe
 * `off_session`, Adyen `ContAuth` with `recurringProcessingModel: Subscription`.
 */
export class OffSession1766000001000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE attempts ADD COLUMN off_session boolean NOT NULL DEFAULT false`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE attempts DROP COLUMN off_session`);
  }
}
