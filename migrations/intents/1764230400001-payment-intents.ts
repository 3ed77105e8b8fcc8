import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Payment intents, their refunds, the history of every transition and the durable idempotency
 * records (DESIGN.md, "Payment intent state machine" and "Idempotency").
 *
 * Money columns are bigint minor units. The CHECKs restate the invariants the state machine keeps,
 * so a bug in code cannot store an intent that refunds more than it received or captures more than
 * its amount: `amount_refunded` counts pending and succeeded refunds (pending ones reserve theirs).
 */
export class PaymentIntents1764230400001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE payment_intents (
        id                       text        PRIMARY KEY,
        merchant_id              text        NOT NULL,
        amount                   bigint      NOT NULL CHECK (amount BETWEEN 1 AND 99999999),
        currency                 char(3)     NOT NULL,
        status                   text        NOT NULL CHECK (status IN ('created', 'authorizing', 'authorized', 'capturing',
                                   'captured', 'partially_refunded', 'refunded', 'canceling', 'canceled', 'failed')),
        capture_method           text        NOT NULL CHECK (capture_method IN ('manual', 'automatic')),
        amount_capturable        bigint      NOT NULL DEFAULT 0 CHECK (amount_capturable BETWEEN 0 AND amount),
        amount_received          bigint      NOT NULL DEFAULT 0 CHECK (amount_received BETWEEN 0 AND amount),
        amount_refunded          bigint      NOT NULL DEFAULT 0 CHECK (amount_refunded BETWEEN 0 AND amount_received),
        payment_method           text,
        provider                 text        CHECK (provider IN ('stripe', 'adyen')),
        last_error               jsonb,
        description              text,
        metadata                 jsonb       NOT NULL DEFAULT '{}'::jsonb,
        fee_schedule             jsonb,
        authorization_attempts   integer     NOT NULL DEFAULT 0 CHECK (authorization_attempts >= 0),
        authorization_expires_at timestamptz,
        capture_amount_requested bigint      CHECK (capture_amount_requested > 0),
        cancellation_reason      text,
        version                  integer     NOT NULL DEFAULT 0,
        created_at               timestamptz NOT NULL,
        updated_at               timestamptz NOT NULL
      )`);
    // The list endpoint: a merchant's intents newest first, optionally of one status.
    await runner.query(
      `CREATE INDEX payment_intents_merchant_created_idx ON payment_intents (merchant_id, created_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX payment_intents_merchant_status_idx ON payment_intents (merchant_id, status, created_at DESC, id DESC)`,
    );
    // The expiry scheduler scans only authorized intents by deadline.
    await runner.query(
      `CREATE INDEX payment_intents_expiry_idx ON payment_intents (authorization_expires_at) WHERE status = 'authorized'`,
    );

    await runner.query(`
      CREATE TABLE refunds (
        id                 text        PRIMARY KEY,
        payment_intent_id  text        NOT NULL REFERENCES payment_intents (id),
        merchant_id        text        NOT NULL,
        amount             bigint      NOT NULL CHECK (amount BETWEEN 1 AND 99999999),
        currency           char(3)     NOT NULL,
        status             text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
        reason             text,
        provider           text        NOT NULL CHECK (provider IN ('stripe', 'adyen')),
        version            integer     NOT NULL DEFAULT 1,
        created_at         timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX refunds_intent_idx ON refunds (payment_intent_id, created_at DESC, id DESC)`,
    );

    await runner.query(`
      CREATE TABLE payment_intent_history (
        id           bigserial   PRIMARY KEY,
        intent_id    text        NOT NULL REFERENCES payment_intents (id),
        from_status  text,
        to_status    text        NOT NULL,
        trigger      text        NOT NULL,
        request_id   text,
        event_id     uuid,
        at           timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX payment_intent_history_intent_idx ON payment_intent_history (intent_id, id)`,
    );

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
    await runner.query(`DROP TABLE payment_intent_history`);
    await runner.query(`DROP TABLE refunds`);
    await runner.query(`DROP TABLE payment_intents`);
  }
}
