import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 10: a capture the PSP reverses after confirming it (Adyen CAPTURE_FAILED) leaves the intent
 * `failed` with amount_received 0, while refunds made before it stay what they are until the PSP
 * reports each one's own outcome. So amount_refunded (pending + succeeded refunds, API.md) may exceed
 * amount_received for a while; it never exceeds the intent's amount. The refund guard reads
 * "refundable = amount_received − amount_refunded", which is then ≤ 0: nothing more can be refunded.
 */
export class RefundsOutliveReversedCapture1765000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE payment_intents DROP CONSTRAINT payment_intents_check2`);
    await runner.query(`
      ALTER TABLE payment_intents ADD CONSTRAINT payment_intents_amount_refunded_check
        CHECK (amount_refunded BETWEEN 0 AND amount)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE payment_intents DROP CONSTRAINT payment_intents_amount_refunded_check`);
    await runner.query(`
      ALTER TABLE payment_intents ADD CONSTRAINT payment_intents_check2
        CHECK (amount_refunded BETWEEN 0 AND amount_received)`);
  }
}
