import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The dunning service's tables (DESIGN.md "Collections and dunning", docs/dunning.md "Service").
 * Everything dunning knows of billing's world it learned from billing's events (invoices,
 * customers' cards, test clocks' times); cases, attempts, retries and budgets are its own.
 * Times named `*_at` or `due_at`/`until` are on the customer's clock (a test clock's time for its
 * customers); `recorded_at`/`created_at`/`updated_at` are the wall clock.
 */
export class DunningCore1767000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    // A merchant without a row has the defaults (API.md "Dunning settings").
    await runner.query(`
      CREATE TABLE dunning_settings (
        merchant_id          text        PRIMARY KEY,
        retry_schedule_days  integer[]   NOT NULL CHECK (cardinality(retry_schedule_days) BETWEEN 1 AND 12
                                           AND 1 <= ALL (retry_schedule_days) AND 60 >= ALL (retry_schedule_days)),
        final_action         text        NOT NULL CHECK (final_action IN ('cancel', 'mark_unpaid', 'leave_past_due')),
        mark_uncollectible   boolean     NOT NULL,
        updated_at           timestamptz NOT NULL
      )`);

    // Same columns as billing's and intents' (libs/platform/http IdempotencyRecordStore).
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

    // Test clocks as billing's `test_clock.advanced` told them: `frozen_time` is the latest step
    // synced (every retry due by it issued); `syncs` numbers `dunning.clock_synced` events.
    await runner.query(`
      CREATE TABLE clocks (
        id           text        PRIMARY KEY,
        merchant_id  text        NOT NULL,
        frozen_time  timestamptz,
        syncs        integer     NOT NULL DEFAULT 0,
        updated_at   timestamptz NOT NULL
      )`);

    // A customer's card now: from `customer.payment_method_updated` (`payment_method_version` is that
    // event's aggregate_version, so an older update never overwrites a newer one), else the card of
    // its latest failure (version -1). Its row is the lock that orders a card change against a
    // failure of the same customer.
    await runner.query(`
      CREATE TABLE customers (
        id                      text        PRIMARY KEY,
        merchant_id             text        NOT NULL,
        test_clock_id           text,
        payment_method          text,
        payment_method_version  bigint      NOT NULL DEFAULT -1,
        updated_at              timestamptz NOT NULL
      )`);

    // Cards hard-declined for a customer: never retried until the customer gives that card again.
    await runner.query(`
      CREATE TABLE unusable_payment_methods (
        customer_id     text        NOT NULL,
        payment_method  text        NOT NULL,
        merchant_id     text        NOT NULL,
        invoice_id      text        NOT NULL,
        reason          text        NOT NULL,
        declined_at     timestamptz NOT NULL,
        recorded_at     timestamptz NOT NULL,
        PRIMARY KEY (customer_id, payment_method)
      )`);

    // Invoices known from billing's invoice events. A paid or void invoice is remembered so a late
    // failure opens nothing; `paid_attempt` is the attempt that paid it (a failure of that attempt
    // or a later one is a reversal, which reopens it).
    await runner.query(`
      CREATE TABLE invoices (
        id               text        PRIMARY KEY,
        merchant_id      text        NOT NULL,
        customer_id      text        NOT NULL,
        subscription_id  text,
        test_clock_id    text,
        billing_reason   text        CHECK (billing_reason IN ('subscription_create', 'subscription_cycle',
                                       'subscription_update', 'manual')),
        status           text        NOT NULL CHECK (status IN ('open', 'paid', 'void', 'uncollectible')),
        paid_attempt     integer,
        recorded_at      timestamptz NOT NULL,
        updated_at       timestamptz NOT NULL
      )`);

    // One collection case per invoice, opened by its first dunned failure. `first_failure_at` is
    // day 0 of its schedule unless an earlier open case of the subscription anchors it; a case
    // waiting for a new card has `waiting_until` (exhausted then); `event_version` numbers the
    // case's events (their aggregate_version).
    await runner.query(`
      CREATE TABLE cases (
        invoice_id        text        PRIMARY KEY REFERENCES invoices (id),
        merchant_id       text        NOT NULL,
        customer_id       text        NOT NULL,
        subscription_id   text,
        test_clock_id     text,
        status            text        NOT NULL CHECK (status IN ('open', 'closed', 'exhausted')),
        first_failure_at  timestamptz NOT NULL,
        last_attempt      integer     NOT NULL CHECK (last_attempt >= 1),
        waiting_until     timestamptz,
        closed_reason     text,
        event_version     integer     NOT NULL DEFAULT 0,
        opened_at         timestamptz NOT NULL,
        updated_at        timestamptz NOT NULL,
        CHECK (status = 'open' OR waiting_until IS NULL)
      )`);
    await runner.query(`CREATE INDEX cases_open_customer_idx ON cases (customer_id) WHERE status = 'open'`);
    await runner.query(`CREATE INDEX cases_open_subscription_idx ON cases (subscription_id) WHERE status = 'open'`);
    await runner.query(`CREATE INDEX cases_waiting_wall_idx ON cases (waiting_until)
                          WHERE status = 'open' AND waiting_until IS NOT NULL AND test_clock_id IS NULL`);
    await runner.query(`CREATE INDEX cases_waiting_clock_idx ON cases (test_clock_id, waiting_until)
                          WHERE status = 'open' AND waiting_until IS NOT NULL AND test_clock_id IS NOT NULL`);

    // Every attempt of an invoice billing reported (failed, or the one that paid it) with the
    // decline, its classification and what dunning decided after it (API.md payment_attempts).
    await runner.query(`
      CREATE TABLE attempts (
        invoice_id             text        NOT NULL REFERENCES invoices (id),
        attempt                integer     NOT NULL CHECK (attempt >= 1),
        merchant_id            text        NOT NULL,
        payment_intent         text,
        payment_method         text,
        status                 text        NOT NULL CHECK (status IN ('failed', 'succeeded')),
        code                   text,
        decline_code           text,
        network                text,
        advice_code            text,
        classification         text        CHECK (classification IN ('hard', 'soft', 'technical')),
        classification_reason  text,
        min_delay_s            integer     CHECK (min_delay_s >= 0),
        needs_new_payment_method boolean,
        decline_table_version  text,
        decision               text        CHECK (decision IN ('retry_scheduled', 'wait_for_payment_method',
                                             'paid', 'exhausted')),
        reason                 text,
        at                     timestamptz NOT NULL,
        due_at                 timestamptz,
        recorded_at            timestamptz NOT NULL,
        PRIMARY KEY (invoice_id, attempt)
      )`);

    // Retries dunning decided: one row per (invoice, attempt) — the primary key — and the row's move
    // to 'issued' is the only way `dunning.retry_due` is written, so two replicas, or a replayed
    // event, publish exactly one retry_due per (invoice, attempt).
    await runner.query(`
      CREATE TABLE retries (
        invoice_id     text        NOT NULL REFERENCES cases (invoice_id),
        attempt        integer     NOT NULL CHECK (attempt >= 2),
        merchant_id    text        NOT NULL,
        test_clock_id  text,
        due_at         timestamptz NOT NULL,
        reason         text        NOT NULL,
        status         text        NOT NULL CHECK (status IN ('scheduled', 'issued', 'canceled')),
        issued_at      timestamptz,
        created_at     timestamptz NOT NULL,
        updated_at     timestamptz NOT NULL,
        PRIMARY KEY (invoice_id, attempt),
        CHECK ((status = 'issued') = (issued_at IS NOT NULL))
      )`);
    await runner.query(`CREATE INDEX retries_due_wall_idx ON retries (due_at)
                          WHERE status = 'scheduled' AND test_clock_id IS NULL`);
    await runner.query(`CREATE INDEX retries_due_clock_idx ON retries (test_clock_id, due_at)
                          WHERE status = 'scheduled' AND test_clock_id IS NOT NULL`);

    // Authorizations of a card PayFlow saw, for the networks' budgets: intents' approvals and its
    // declines of payments without an invoice (customer NULL: the merchant's own payment, which
    // counts for every customer of the merchant giving that card), and billing's failed invoice
    // attempts. Idempotent on the event that told it.
    await runner.query(`
      CREATE TABLE card_authorizations (
        id               bigserial   PRIMARY KEY,
        merchant_id      text        NOT NULL,
        customer_id      text,
        payment_method   text        NOT NULL,
        at               timestamptz NOT NULL,
        approved         boolean     NOT NULL,
        network          text,
        invoice_id       text,
        payment_intent   text,
        source_event_id  text        NOT NULL UNIQUE,
        recorded_at      timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX card_authorizations_card_idx ON card_authorizations (merchant_id, payment_method, at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE card_authorizations`);
    await runner.query(`DROP TABLE retries`);
    await runner.query(`DROP TABLE attempts`);
    await runner.query(`DROP TABLE cases`);
    await runner.query(`DROP TABLE invoices`);
    await runner.query(`DROP TABLE unusable_payment_methods`);
    await runner.query(`DROP TABLE customers`);
    await runner.query(`DROP TABLE clocks`);
    await runner.query(`DROP TABLE idempotency_records`);
    await runner.query(`DROP TABLE dunning_settings`);
  }
}
