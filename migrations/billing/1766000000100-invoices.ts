import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invoices and their lines, the gapless number sequences, the scheduler's due work and the customers
 * parked by an invariant violation (DESIGN.md "Billing", docs/billing.md "Invoices, finalization,
 * scheduler and payments").
 *
 * The database itself keeps what DESIGN.md promises of a finalized invoice, so a bug in code cannot
 * break it: triggers refuse any change to a finalized invoice's lines, totals, number and currency,
 * any status change outside the allowed table, and deleting anything but a draft. Money is bigint
 * minor units; line amounts are signed (credits are negative).
 */
export class Invoices1766000000100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE invoices (
        id                       text        PRIMARY KEY,
        merchant_id              text        NOT NULL,
        customer_id              text        NOT NULL REFERENCES customers (id),
        subscription_id          text        REFERENCES subscriptions (id),
        -- Which invoice of the subscription (the generator's: 'b:<boundary>' or 'now:<seconds>').
        invoice_key              text        NOT NULL,
        test_clock_id            text,
        status                   text        NOT NULL CHECK (status IN ('draft', 'open', 'paid', 'uncollectible', 'void')),
        currency                 char(3)     NOT NULL,
        number                   text,
        subtotal                 bigint      NOT NULL DEFAULT 0,
        starting_balance         bigint      NOT NULL DEFAULT 0,
        total                    bigint      NOT NULL DEFAULT 0,
        amount_due               bigint      NOT NULL DEFAULT 0 CHECK (amount_due >= 0),
        amount_paid              bigint      NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
        -- The last attempt requested (1 at finalization, n+1 for each retry); 0 before any.
        attempt_count            integer     NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
        -- The last attempt whose failure was recorded: a repeated failure of it is not recorded twice.
        last_failed_attempt      integer     NOT NULL DEFAULT 0 CHECK (last_failed_attempt >= 0),
        payment_intent_id        text,
        -- A payment was requested and has no answer yet (the test clock saga waits on it).
        payment_pending          boolean     NOT NULL DEFAULT false,
        next_payment_attempt     timestamptz,
        period_start             timestamptz NOT NULL,
        period_end               timestamptz NOT NULL,
        -- Every time below is the customer's clock (a test clock's frozen time for its customers).
        created_at               timestamptz NOT NULL,
        finalize_at              timestamptz,
        finalized_at             timestamptz,
        paid_at                  timestamptz,
        voided_at                timestamptz,
        marked_uncollectible_at  timestamptz,
        -- Of the invoice aggregate: the aggregate_version of its events.
        version                  integer     NOT NULL DEFAULT 1,
        updated_at               timestamptz NOT NULL DEFAULT now(),
        CHECK (status = 'draft' OR status = 'void' OR number IS NOT NULL),
        CHECK (NOT payment_pending OR status = 'open')
      )`);
    // One invoice per subscription per invoice key (a period boundary, or an invoice of its own).
    await runner.query(`CREATE UNIQUE INDEX invoices_subscription_key_idx ON invoices (subscription_id, invoice_key)`);
    // Gapless per merchant and sequence: a duplicate number can never be stored.
    await runner.query(`CREATE UNIQUE INDEX invoices_number_idx ON invoices (merchant_id, number) WHERE number IS NOT NULL`);
    await runner.query(`CREATE INDEX invoices_merchant_idx ON invoices (merchant_id, created_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX invoices_customer_idx ON invoices (customer_id, created_at DESC, id DESC)`);
    await runner.query(`CREATE INDEX invoices_subscription_idx ON invoices (subscription_id, created_at DESC, id DESC)`);
    // The clock saga's question: does any invoice of this clock wait for a payment answer?
    await runner.query(`CREATE INDEX invoices_pending_clock_idx ON invoices (test_clock_id) WHERE payment_pending`);

    await runner.query(`
      CREATE TABLE invoice_lines (
        id               text        PRIMARY KEY,
        invoice_id       text        NOT NULL REFERENCES invoices (id),
        subscription_id  text,
        type             text        NOT NULL CHECK (type IN ('subscription', 'proration')),
        kind             text        NOT NULL,
        description      text        NOT NULL,
        price_id         text        NOT NULL,
        quantity         integer     NOT NULL,
        amount           bigint      NOT NULL,
        period_start     timestamptz NOT NULL,
        period_end       timestamptz NOT NULL,
        stream_version   integer     NOT NULL,
        position         integer     NOT NULL
      )`);
    await runner.query(`CREATE INDEX invoice_lines_invoice_idx ON invoice_lines (invoice_id, position)`);
    await runner.query(`CREATE INDEX invoice_lines_subscription_idx ON invoice_lines (subscription_id)`);

    // Finalized means immutable: totals, number, currency, and who and what the invoice is for.
    // Status moves only along the allowed table; a number, once given, never changes.
    await runner.query(`
      CREATE FUNCTION invoices_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF OLD.status <> 'draft' THEN
            RAISE EXCEPTION 'invoice % is %: only a draft may be deleted', OLD.id, OLD.status
              USING ERRCODE = 'check_violation';
          END IF;
          RETURN OLD;
        END IF;
        IF NEW.id <> OLD.id OR NEW.merchant_id <> OLD.merchant_id OR NEW.customer_id <> OLD.customer_id
           OR NEW.subscription_id IS DISTINCT FROM OLD.subscription_id OR NEW.invoice_key <> OLD.invoice_key
           OR NEW.test_clock_id IS DISTINCT FROM OLD.test_clock_id OR NEW.created_at <> OLD.created_at THEN
          RAISE EXCEPTION 'invoice %: identity columns never change', OLD.id USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.number IS NOT NULL AND NEW.number IS DISTINCT FROM OLD.number THEN
          RAISE EXCEPTION 'invoice %: its number % never changes', OLD.id, OLD.number USING ERRCODE = 'check_violation';
        END IF;
        IF OLD.status <> 'draft' AND (
             NEW.currency <> OLD.currency OR NEW.subtotal <> OLD.subtotal OR NEW.total <> OLD.total
             OR NEW.starting_balance <> OLD.starting_balance OR NEW.amount_due <> OLD.amount_due
             OR NEW.period_start <> OLD.period_start OR NEW.period_end <> OLD.period_end
             OR NEW.finalized_at IS DISTINCT FROM OLD.finalized_at) THEN
          RAISE EXCEPTION 'invoice % is finalized (%): its totals, number and currency are immutable', OLD.id, OLD.status
            USING ERRCODE = 'check_violation';
        END IF;
        IF NEW.status <> OLD.status AND NOT (
             (OLD.status = 'draft' AND NEW.status IN ('open', 'void', 'paid'))
          OR (OLD.status = 'open' AND NEW.status IN ('paid', 'void', 'uncollectible'))
          OR (OLD.status = 'uncollectible' AND NEW.status IN ('paid', 'void'))) THEN
          RAISE EXCEPTION 'invoice %: % -> % is not an allowed transition', OLD.id, OLD.status, NEW.status
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    await runner.query(`CREATE TRIGGER invoices_guard BEFORE UPDATE OR DELETE ON invoices
                          FOR EACH ROW EXECUTE FUNCTION invoices_guard()`);

    // A line is written, changed or removed only while its invoice is a draft. FOR SHARE waits for a
    // finalizing transaction holding the invoice's row lock, so a line cannot slip in as it closes.
    await runner.query(`
      CREATE FUNCTION invoice_lines_guard() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        invoice_status text;
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          SELECT status INTO invoice_status FROM invoices WHERE id = OLD.invoice_id FOR SHARE;
          IF invoice_status IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION 'invoice line %: invoice % is % and its lines are immutable', OLD.id, OLD.invoice_id, invoice_status
              USING ERRCODE = 'check_violation';
          END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          SELECT status INTO invoice_status FROM invoices WHERE id = NEW.invoice_id FOR SHARE;
          IF invoice_status IS DISTINCT FROM 'draft' THEN
            RAISE EXCEPTION 'invoice line %: invoice % is % and takes no more lines', NEW.id, NEW.invoice_id, invoice_status
              USING ERRCODE = 'check_violation';
          END IF;
          RETURN NEW;
        END IF;
        RETURN OLD;
      END $$`);
    await runner.query(`CREATE TRIGGER invoice_lines_guard BEFORE INSERT OR UPDATE OR DELETE ON invoice_lines
                          FOR EACH ROW EXECUTE FUNCTION invoice_lines_guard()`);
    await runner.query(`
      CREATE FUNCTION invoice_tables_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION '% cannot be truncated: finalized invoices are immutable', TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await runner.query(`CREATE TRIGGER invoice_lines_no_truncate BEFORE TRUNCATE ON invoice_lines
                          FOR EACH STATEMENT EXECUTE FUNCTION invoice_tables_no_truncate()`);
    await runner.query(`CREATE TRIGGER invoices_no_truncate BEFORE TRUNCATE ON invoices
                          FOR EACH STATEMENT EXECUTE FUNCTION invoice_tables_no_truncate()`);

    // Taken FOR UPDATE in the finalizing transaction: a number is drawn only by a transaction that
    // commits the invoice carrying it, so numbers have no gap and no duplicate.
    await runner.query(`
      CREATE TABLE invoice_number_sequences (
        merchant_id  text    NOT NULL,
        sequence     text    NOT NULL CHECK (sequence IN ('live', 'test')),
        last_number  bigint  NOT NULL DEFAULT 0 CHECK (last_number >= 0),
        PRIMARY KEY (merchant_id, sequence)
      )`);

    // Work due at an instant of a customer's clock: the wall clock's (test_clock_id NULL, claimed by
    // the poller) or a test clock's (run by its advance saga). `not_before` is the wall-clock retry
    // backoff of a failed row, kept apart from `due_at`, which is part of the row's identity.
    await runner.query(`
      CREATE TABLE scheduled_work (
        id             bigserial   PRIMARY KEY,
        kind           text        NOT NULL,
        subject_id     text        NOT NULL,
        test_clock_id  text,
        due_at         timestamptz NOT NULL,
        done_at        timestamptz,
        attempts       integer     NOT NULL DEFAULT 0,
        last_error     text,
        not_before     timestamptz,
        created_at     timestamptz NOT NULL DEFAULT now(),
        UNIQUE (kind, subject_id, due_at)
      )`);
    await runner.query(
      `CREATE INDEX scheduled_work_wall_due_idx ON scheduled_work (due_at, id) WHERE done_at IS NULL AND test_clock_id IS NULL`,
    );
    await runner.query(
      `CREATE INDEX scheduled_work_clock_due_idx ON scheduled_work (test_clock_id, due_at) WHERE done_at IS NULL`,
    );
    await runner.query(`CREATE INDEX scheduled_work_subject_idx ON scheduled_work (subject_id)`);

    // Kill Bill's "parked account": an invariant broke for this customer, so nothing more is invoiced
    // until an operator looks (and deletes the row).
    await runner.query(`
      CREATE TABLE parked_customers (
        customer_id  text        PRIMARY KEY REFERENCES customers (id),
        merchant_id  text        NOT NULL,
        violation    text        NOT NULL,
        detail       jsonb       NOT NULL,
        parked_at    timestamptz NOT NULL
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE parked_customers`);
    await runner.query(`DROP TABLE scheduled_work`);
    await runner.query(`DROP TABLE invoice_number_sequences`);
    await runner.query(`DROP TABLE invoice_lines`);
    await runner.query(`DROP TABLE invoices`);
    await runner.query(`DROP FUNCTION invoice_tables_no_truncate()`);
    await runner.query(`DROP FUNCTION invoice_lines_guard()`);
    await runner.query(`DROP FUNCTION invoices_guard()`);
  }
}
