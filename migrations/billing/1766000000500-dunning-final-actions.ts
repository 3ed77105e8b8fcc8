import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `dunning_final_actions`: the `dunning.exhausted` billing has handled, one per invoice (applied, or
 * dropped because it no longer applied). The test clock's dunning gate holds a clock at the instant
 * a case was exhausted until its final action is handled, so the subscription is canceled (or made
 * unpaid) at that instant and never renewed past it (docs/dunning.md "Billing's side").
 */
export class DunningFinalActions1766000000500 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dunning_final_actions (
        invoice_id   text        PRIMARY KEY REFERENCES invoices (id),
        event_id     uuid        NOT NULL,
        -- What billing did: applied, or why it dropped it.
        outcome      text        NOT NULL,
        received_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE dunning_final_actions`);
  }
}
