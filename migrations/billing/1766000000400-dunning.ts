import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Billing's side of dunning (issue 12; docs/dunning.md "Billing's side"):
 * - `invoices.billing_reason`: why the invoice exists (`billing_reason` on every `invoice.*`
 *   event), set when the draft is written from its key and the subscription's `created` event, and
 *   never changed after (like the invoice's other identity columns). Existing invoices are given
 *   theirs by the same rule, in SQL.
 * - `unusable_payment_methods`: cards dunning reported hard-declined (`payment_method.unusable`);
 *   billing asks no payment on them. A card stays unusable; a different card is usable.
 * - `dunning_decisions` and `dunning_clock_syncs`: what dunning decided for each failed attempt
 *   and how far it has synced each test clock, which the test clock saga's dunning gate reads.
 */
export class Dunning1766000000400 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE invoices ADD COLUMN billing_reason text NOT NULL DEFAULT 'manual'
         CHECK (billing_reason IN ('subscription_create', 'subscription_cycle', 'subscription_update', 'manual'))`,
    );
    // billingReasonOf (apps/billing/src/invoices/billing-reason.ts) in SQL: a stream's `at` is the
    // whole second of its occurred_at, and a trial ending after the creation is a trial.
    await runner.query(`
      UPDATE invoices i
         SET billing_reason = CASE
               WHEN i.invoice_key LIKE 'now:%' THEN 'subscription_update'
               WHEN i.invoice_key = 'b:' || floor(extract(epoch FROM e.occurred_at))::bigint
                    AND NOT COALESCE((e.data->>'trial_end')::bigint > floor(extract(epoch FROM e.occurred_at))::bigint, false)
                 THEN 'subscription_create'
               ELSE 'subscription_cycle'
             END
        FROM subscription_events e
       WHERE e.subscription_id = i.subscription_id AND e.version = 1`);
    await runner.query(`
      CREATE FUNCTION invoices_billing_reason_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'invoice %: its billing_reason never changes', OLD.id USING ERRCODE = 'check_violation';
      END $$`);
    await runner.query(`CREATE TRIGGER invoices_billing_reason_guard BEFORE UPDATE OF billing_reason ON invoices
                          FOR EACH ROW WHEN (NEW.billing_reason IS DISTINCT FROM OLD.billing_reason)
                          EXECUTE FUNCTION invoices_billing_reason_guard()`);
    // The dunning gate's question at every step of a clock: has it an open invoice with a failure?
    await runner.query(
      `CREATE INDEX invoices_failed_open_clock_idx ON invoices (test_clock_id) WHERE status = 'open' AND last_failed_attempt > 0`,
    );

    await runner.query(`
      CREATE TABLE unusable_payment_methods (
        customer_id     text        NOT NULL REFERENCES customers (id),
        payment_method  text        NOT NULL,
        merchant_id     text        NOT NULL,
        -- The invoice whose failed attempt showed it, and the decline (dunning's reason).
        invoice_id      text,
        reason          text        NOT NULL,
        -- The customer's time when billing learnt it.
        marked_at       timestamptz NOT NULL,
        PRIMARY KEY (customer_id, payment_method)
      )`);

    await runner.query(`
      CREATE TABLE dunning_decisions (
        invoice_id     text        NOT NULL REFERENCES invoices (id),
        -- The failed attempt decided on.
        attempt        integer     NOT NULL CHECK (attempt >= 1),
        test_clock_id  text,
        decision       text        NOT NULL CHECK (decision IN ('retry_scheduled', 'wait_for_payment_method', 'exhausted', 'closed')),
        -- The retry's instant, or the day a case waiting for a card gives up (customer's clock).
        due_at         timestamptz,
        reason         text        NOT NULL,
        event_id       uuid        NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (invoice_id, attempt)
      )`);
    await runner.query(
      `CREATE INDEX dunning_decisions_clock_idx ON dunning_decisions (test_clock_id, due_at) WHERE test_clock_id IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE dunning_clock_syncs (
        test_clock_id  text        PRIMARY KEY,
        -- The latest frozen_time dunning has issued every retry due up to.
        frozen_time    timestamptz NOT NULL,
        received_at    timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE dunning_clock_syncs`);
    await runner.query(`DROP TABLE dunning_decisions`);
    await runner.query(`DROP TABLE unusable_payment_methods`);
    await runner.query(`DROP INDEX invoices_failed_open_clock_idx`);
    await runner.query(`DROP TRIGGER invoices_billing_reason_guard ON invoices`);
    await runner.query(`DROP FUNCTION invoices_billing_reason_guard()`);
    await runner.query(`ALTER TABLE invoices DROP COLUMN billing_reason`);
  }
}
