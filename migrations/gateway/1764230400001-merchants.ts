import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merchants with their fee schedules, their API keys (stored only as a keyed hash) and the admin
 * audit log. The audit log is append-only: the gateway role gives up UPDATE, DELETE and TRUNCATE
 * on it, so an admin action, once recorded, stays recorded.
 */
export class Merchants1764230400001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE merchants (
        id          text        PRIMARY KEY CHECK (id ~ '^mer_[A-Za-z0-9]+$'),
        name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        fee_bps     integer     NOT NULL DEFAULT 290 CHECK (fee_bps BETWEEN 0 AND 10000),
        -- currency -> minor units, as the operator set it. NULL: the platform default (30 in currencies
        -- of exponent 2, 0 in others). A map: those fees, and none in a currency it does not name.
        fee_fixed   jsonb       CHECK (fee_fixed IS NULL OR jsonb_typeof(fee_fixed) = 'object'),
        created_at  timestamptz NOT NULL
      )`);

    await runner.query(`
      CREATE TABLE api_keys (
        id          text        PRIMARY KEY,
        merchant_id text        NOT NULL REFERENCES merchants (id),
        -- HMAC-SHA256(API_KEY_HASH_SECRET, key) in hex: the key itself is never stored.
        key_hash    char(64)    NOT NULL UNIQUE,
        -- The first characters of the key (sk_test_Ab12), to tell keys apart in listings.
        prefix      text        NOT NULL,
        created_at  timestamptz NOT NULL,
        revoked_at  timestamptz
      )`);
    await runner.query(`CREATE INDEX api_keys_merchant_idx ON api_keys (merchant_id)`);

    await runner.query(`
      CREATE TABLE admin_audit_log (
        id          bigserial   PRIMARY KEY,
        action      text        NOT NULL,
        actor       text        NOT NULL,
        target      text,
        details     jsonb       NOT NULL DEFAULT '{}',
        request_id  text,
        at          timestamptz NOT NULL
      )`);
    await runner.query(`CREATE INDEX admin_audit_log_target_idx ON admin_audit_log (target, at)`);
    await runner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON admin_audit_log FROM CURRENT_USER`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE admin_audit_log`);
    await runner.query(`DROP TABLE api_keys`);
    await runner.query(`DROP TABLE merchants`);
  }
}
