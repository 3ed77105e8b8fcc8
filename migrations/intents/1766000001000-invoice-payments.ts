import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 11: intents pays billing's invoices (DESIGN.md, "Billing").
 *
 * - `payment_intents.invoice`: the `in_…` invoice an intent pays (null for merchants' own payments).
 *   One intent per invoice: later attempts authorize the same intent again.
 * - `invoice_payment_requests`: every `invoice.payment_requested` command by (invoice, attempt), so a
 *   redelivered or republished command does nothing twice, and what became of it (applied to an
 *   intent, rejected with a reason, or waiting for its merchant's fee schedule, with the command kept
 *   to apply when the merchant event arrives).
 * - `merchant_fee_schedules`: intents' own projection of the gateway's `merchant.*` events, the fee
 *   schedule of payments no merchant request carries one for; only a newer `version` replaces a row.
 */
export class InvoicePayments1766000001000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE payment_intents ADD COLUMN invoice text`);
    await runner.query(
      `CREATE UNIQUE INDEX payment_intents_invoice_key ON payment_intents (invoice) WHERE invoice IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE invoice_payment_requests (
        invoice_id        text        NOT NULL,
        attempt           integer     NOT NULL CHECK (attempt >= 1),
        merchant_id       text        NOT NULL,
        status            text        NOT NULL CHECK (status IN ('received', 'waiting_merchant', 'applied', 'rejected')),
        payment_intent_id text,
        reason            text,
        event_id          uuid        NOT NULL,
        command           jsonb       NOT NULL,
        received_at       timestamptz NOT NULL,
        decided_at        timestamptz,
        PRIMARY KEY (invoice_id, attempt),
        CHECK ((status = 'rejected') = (reason IS NOT NULL))
      )`);
    // Commands parked until their merchant's fee schedule is known, found by merchant when it arrives.
    await runner.query(
      `CREATE INDEX invoice_payment_requests_waiting_idx ON invoice_payment_requests (merchant_id, received_at)
        WHERE status = 'waiting_merchant'`,
    );

    await runner.query(`
      CREATE TABLE merchant_fee_schedules (
        merchant_id     text        PRIMARY KEY,
        name            text        NOT NULL,
        fee_bps         integer     NOT NULL CHECK (fee_bps BETWEEN 0 AND 10000),
        fee_fixed       jsonb       NOT NULL,
        version         integer     NOT NULL CHECK (version >= 1),
        source_event_id uuid        NOT NULL,
        updated_at      timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE merchant_fee_schedules`);
    await runner.query(`DROP TABLE invoice_payment_requests`);
    await runner.query(`DROP INDEX payment_intents_invoice_key`);
    await runner.query(`ALTER TABLE payment_intents DROP COLUMN invoice`);
  }
}
