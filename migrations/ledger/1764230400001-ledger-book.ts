import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The book: accounts, journal entries and their postings. The database itself keeps the book
 * honest, whatever code writes to it:
 * - every statement that inserts postings must leave each touched entry with ≥ 2 postings whose
 *   debits equal credits per currency and per phase (posted / pending);
 * - entries and postings are immutable: the ledger role has no UPDATE/DELETE/TRUNCATE on them, and
 *   triggers refuse those even for an owner or superuser. Corrections are new reversing entries.
 *
 * postings.entry_id and the entry-to-entry references carry no foreign keys on purpose: checking
 * one takes a FOR KEY SHARE lock, which needs UPDATE rights on entries, and the ledger role must not
 * have them. Entries are written before their postings in the same transaction by the one writer,
 * and `verify` proves that no posting lacks its entry.
 */
export class LedgerBook1764230400001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE accounts (
        id              bigserial   PRIMARY KEY,
        code            text        NOT NULL,
        currency        char(3)     NOT NULL,
        kind            text        NOT NULL,
        type            text        NOT NULL CHECK (type IN ('asset', 'liability', 'revenue', 'expense')),
        merchant_id     text,
        provider        text,
        debits_posted   bigint      NOT NULL DEFAULT 0 CHECK (debits_posted >= 0),
        credits_posted  bigint      NOT NULL DEFAULT 0 CHECK (credits_posted >= 0),
        debits_pending  bigint      NOT NULL DEFAULT 0,
        credits_pending bigint      NOT NULL DEFAULT 0,
        created_at      timestamptz NOT NULL DEFAULT clock_timestamp(),
        UNIQUE (code, currency),
        CHECK ((merchant_id IS NULL) <> (provider IS NULL))
      )`);
    await runner.query(`CREATE INDEX accounts_merchant_idx ON accounts (merchant_id, currency) WHERE merchant_id IS NOT NULL`);

    await runner.query(`
      CREATE TABLE entries (
        id                bigint      PRIMARY KEY,
        source_event_id   uuid        NOT NULL UNIQUE,
        kind              text        NOT NULL CHECK (kind IN ('authorization_hold', 'capture', 'refund', 'hold_void', 'reversal')),
        merchant_id       text        NOT NULL,
        intent_id         text,
        voids_entry_id    bigint      UNIQUE,
        reverses_entry_id bigint      UNIQUE,
        occurred_at       timestamptz NOT NULL,
        created_at        timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(`CREATE SEQUENCE entries_id_seq OWNED BY entries.id`);
    await runner.query(`ALTER TABLE entries ALTER COLUMN id SET DEFAULT nextval('entries_id_seq')`);
    await runner.query(`CREATE INDEX entries_merchant_idx ON entries (merchant_id, id DESC)`);
    await runner.query(`CREATE INDEX entries_open_holds_idx ON entries (intent_id) WHERE kind = 'authorization_hold'`);

    await runner.query(`
      CREATE TABLE postings (
        id          bigserial   PRIMARY KEY,
        entry_id    bigint      NOT NULL,
        account_id  bigint      NOT NULL REFERENCES accounts (id),
        direction   text        NOT NULL CHECK (direction IN ('debit', 'credit')),
        amount      bigint      NOT NULL CHECK (amount > 0),
        currency    char(3)     NOT NULL,
        pending     boolean     NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await runner.query(`CREATE INDEX postings_entry_idx ON postings (entry_id)`);
    await runner.query(`CREATE INDEX postings_account_time_idx ON postings (account_id, created_at)`);

    // Balanced entries, checked once per INSERT statement over every entry it touched.
    await runner.query(`
      CREATE FUNCTION postings_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE bad record;
      BEGIN
        SELECT n.entry_id, n.currency, n.pending INTO bad
          FROM (SELECT DISTINCT entry_id FROM new_postings) touched
          JOIN postings n ON n.entry_id = touched.entry_id
         GROUP BY n.entry_id, n.currency, n.pending
        HAVING sum(CASE n.direction WHEN 'debit' THEN n.amount ELSE -n.amount END) <> 0
         LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'unbalanced entry %: debits and credits differ in % (%)', bad.entry_id, bad.currency,
            CASE WHEN bad.pending THEN 'pending' ELSE 'posted' END
            USING ERRCODE = 'check_violation';
        END IF;
        SELECT touched.entry_id INTO bad
          FROM (SELECT DISTINCT entry_id FROM new_postings) touched
          JOIN postings n ON n.entry_id = touched.entry_id
         GROUP BY touched.entry_id HAVING count(*) < 2 LIMIT 1;
        IF FOUND THEN
          RAISE EXCEPTION 'entry % has fewer than two postings', bad.entry_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NULL;
      END $$`);
    await runner.query(`
      CREATE TRIGGER postings_balanced AFTER INSERT ON postings
        REFERENCING NEW TABLE AS new_postings FOR EACH STATEMENT EXECUTE FUNCTION postings_balanced()`);

    // Immutability, even for an owner or a superuser who bypasses the grants.
    await runner.query(`
      CREATE FUNCTION ledger_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% is immutable: % refused (book a reversing entry instead)', TG_TABLE_NAME, TG_OP
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    for (const table of ['entries', 'postings']) {
      await runner.query(`CREATE TRIGGER ${table}_immutable BEFORE UPDATE OR DELETE ON ${table}
                            FOR EACH ROW EXECUTE FUNCTION ledger_immutable()`);
      await runner.query(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
                            FOR EACH STATEMENT EXECUTE FUNCTION ledger_immutable()`);
      // The ledger role owns its schema; an owner may drop its own rights, and here it does.
      await runner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON ${table} FROM CURRENT_USER`);
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE postings`);
    await runner.query(`DROP TABLE entries`);
    await runner.query(`DROP TABLE accounts`);
    await runner.query(`DROP FUNCTION postings_balanced()`);
    await runner.query(`DROP FUNCTION ledger_immutable()`);
  }
}
