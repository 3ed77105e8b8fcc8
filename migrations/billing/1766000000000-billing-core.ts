import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRole } from '@payflow/platform/config';

/**
 * Billing's core tables (DESIGN.md "Billing", docs/billing.md "Service, API and subscriptions"):
 * customers and their per-currency balances, prices, billing settings, test clocks, the
 * subscription event streams and their read model, and the durable idempotency records.
 * Invoices and the scheduler come in 1766000000100-invoices.
 *
 * Money is bigint minor units. Subscriptions are event-sourced: `subscription_events` is the truth
 * and append only (a trigger refuses UPDATE, DELETE and TRUNCATE, and the runtime role has no such
 * rights on it); `subscriptions` is a read model written in the same transaction as the events it
 * reflects and rebuildable from them.
 */
export class BillingCore1766000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    // Test clocks first: customers and subscriptions reference them. The advance saga (CLOCK) keeps
    // its whole state in the row: status, frozen_time and the target it is moving to.
    await runner.query(`
      CREATE TABLE test_clocks (
        id           text        PRIMARY KEY,
        merchant_id  text        NOT NULL,
        name         text,
        frozen_time  timestamptz NOT NULL,
        status       text        NOT NULL DEFAULT 'ready' CHECK (status IN ('ready', 'advancing')),
        target_time  timestamptz,
        created_at   timestamptz NOT NULL,
        deleted_at   timestamptz,
        CHECK (status = 'ready' OR target_time IS NOT NULL)
      )`);
    await runner.query(`CREATE INDEX test_clocks_merchant_idx ON test_clocks (merchant_id, created_at DESC, id)`);
    await runner.query(`CREATE INDEX test_clocks_advancing_idx ON test_clocks (id) WHERE status = 'advancing'`);

    await runner.query(`
      CREATE TABLE customers (
        id              text        PRIMARY KEY,
        merchant_id     text        NOT NULL,
        email           text,
        name            text,
        payment_method  text,
        test_clock_id   text        REFERENCES test_clocks (id),
        metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX customers_merchant_idx ON customers (merchant_id, created_at DESC, id)`);
    await runner.query(`CREATE INDEX customers_test_clock_idx ON customers (test_clock_id) WHERE test_clock_id IS NOT NULL`);

    // Negative is credit (Stripe's convention): an invoice whose total is negative adds to it.
    await runner.query(`
      CREATE TABLE customer_balances (
        customer_id  text    NOT NULL REFERENCES customers (id),
        currency     char(3) NOT NULL,
        balance      bigint  NOT NULL DEFAULT 0,
        PRIMARY KEY (customer_id, currency)
      )`);

    // Immutable but for nickname and active: a subscription's stream snapshots the price anyway.
    await runner.query(`
      CREATE TABLE prices (
        id              text        PRIMARY KEY,
        merchant_id     text        NOT NULL,
        currency        char(3)     NOT NULL,
        unit_amount     bigint      NOT NULL CHECK (unit_amount >= 0),
        interval        text        NOT NULL CHECK (interval IN ('day', 'week', 'month', 'year')),
        interval_count  integer     NOT NULL CHECK (interval_count BETWEEN 1 AND 12),
        nickname        text,
        active          boolean     NOT NULL DEFAULT true,
        created_at      timestamptz NOT NULL,
        CHECK (interval <> 'year' OR interval_count <= 3)
      )`);
    await runner.query(`CREATE INDEX prices_merchant_idx ON prices (merchant_id, created_at DESC, id)`);

    await runner.query(`
      CREATE TABLE billing_settings (
        merchant_id     text        PRIMARY KEY,
        invoice_prefix  text        NOT NULL CHECK (invoice_prefix ~ '^[A-Z0-9]{3,12}$'),
        updated_at      timestamptz NOT NULL
      )`);

    // The truth about every subscription. `occurred_at` is the customer's clock time (a test
    // clock's frozen_time for its customers); `recorded_at` is when the row was written.
    await runner.query(`
      CREATE TABLE subscription_events (
        subscription_id  text        NOT NULL,
        version          integer     NOT NULL CHECK (version >= 1),
        type             text        NOT NULL CHECK (type <> ''),
        data             jsonb       NOT NULL,
        occurred_at      timestamptz NOT NULL,
        recorded_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subscription_id, version)
      )`);
    await runner.query(`
      CREATE FUNCTION subscription_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'subscription_events is append only: % refused (append a new event instead)', TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await runner.query(`CREATE TRIGGER subscription_events_append_only BEFORE UPDATE OR DELETE ON subscription_events
                          FOR EACH ROW EXECUTE FUNCTION subscription_events_append_only()`);
    await runner.query(`CREATE TRIGGER subscription_events_no_truncate BEFORE TRUNCATE ON subscription_events
                          FOR EACH STATEMENT EXECUTE FUNCTION subscription_events_append_only()`);
    await runner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON subscription_events FROM ${serviceRole('billing')}`);

    // The read model: the public SubscriptionObject as of `version`, with the columns lists filter on.
    await runner.query(`
      CREATE TABLE subscriptions (
        id             text        PRIMARY KEY,
        merchant_id    text        NOT NULL,
        customer_id    text        NOT NULL REFERENCES customers (id),
        test_clock_id  text        REFERENCES test_clocks (id),
        status         text        NOT NULL CHECK (status IN ('incomplete', 'incomplete_expired', 'trialing',
                                     'active', 'past_due', 'unpaid', 'canceled')),
        version        integer     NOT NULL CHECK (version >= 1),
        object         jsonb       NOT NULL,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX subscriptions_merchant_idx ON subscriptions (merchant_id, created_at DESC, id)`);
    await runner.query(`CREATE INDEX subscriptions_customer_idx ON subscriptions (customer_id, created_at DESC, id)`);
    await runner.query(`CREATE INDEX subscriptions_test_clock_idx ON subscriptions (test_clock_id) WHERE test_clock_id IS NOT NULL`);

    // Same columns as intents' (libs/platform/http IdempotencyRecordStore).
    await runner.query(`
      CREATE TABLE idempotency_records (
        merchant_id  text        NOT NULL,
        key          text        NOT NULL,
        fingerprint  text        NOT NULL,
        status_code  integer     NOT NULL,
        response     jsonb       NOT NULL,
        created_at   timestamptz NOT NULL,
        PRIMARY KEY (merchant_id, key)
      )`);
    await runner.query(`CREATE INDEX idempotency_records_created_idx ON idempotency_records (created_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE idempotency_records`);
    await runner.query(`DROP TABLE subscriptions`);
    await runner.query(`DROP TABLE subscription_events`);
    await runner.query(`DROP FUNCTION subscription_events_append_only()`);
    await runner.query(`DROP TABLE billing_settings`);
    await runner.query(`DROP TABLE prices`);
    await runner.query(`DROP TABLE customer_balances`);
    await runner.query(`DROP TABLE customers`);
    await runner.query(`DROP TABLE test_clocks`);
  }
}
