import { MigrationInterface, QueryRunner } from 'typeorm';
import { serviceRole } from '@payflow/platform/config';

const BOOK_TABLES = ['accounts', 'entries', 'postings', 'closed_intents'];
const BOOK_SEQUENCES = ['accounts_id_seq', 'entries_id_seq', 'postings_id_seq'];

/**
 * The book is written only through one SECURITY DEFINER function, book_batch(jsonb), owned by the
 * ledger's owner role. The runtime role may SELECT the book and EXECUTE the function, nothing else,
 * so every rule below holds for it whatever SQL it sends:
 * - a posting belongs to an entry of the same call: postings cannot be added to an existing entry;
 * - a posting's currency is its account's (the function joins on it; the trigger re-checks it);
 * - no posting without its entry, no entry with fewer than two postings;
 * - entries balance per currency and phase (the statement trigger, kept and extended);
 * - the running totals in `accounts` change only by the sums of the postings just inserted;
 * - entries and postings are never updated, deleted or truncated (the triggers of the book stay).
 *
 * closed_intents records the intents whose capture or cancel the ledger has seen, so that a late
 * authorization (a redrive, a replay) books no hold that nothing would release.
 */
export class LedgerBookFunction1764921600100 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    const runtime = serviceRole('ledger');
    await runner.query(`
      CREATE TABLE closed_intents (
        intent_id          text        PRIMARY KEY,
        closed_by_event_id uuid        NOT NULL,
        closed_as          text        NOT NULL CHECK (closed_as IN ('captured', 'canceled')),
        closed_at          timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    // Intents already settled in the book before this table existed.
    await runner.query(`
      INSERT INTO closed_intents (intent_id, closed_by_event_id, closed_as)
      SELECT DISTINCT ON (intent_id) intent_id, source_event_id, CASE kind WHEN 'capture' THEN 'captured' ELSE 'canceled' END
        FROM entries WHERE kind IN ('capture', 'hold_void') AND intent_id IS NOT NULL
       ORDER BY intent_id, id`);

    await runner.query(POSTINGS_CHECKED_SQL);
    await runner.query(BOOK_BATCH_SQL);
    // The function runs as its owner: its search_path is fixed to the schema it was created in (the
    // live `ledger`, or a replay's scratch schema), so no caller can slip in objects of its own. The
    // trigger's too, so it checks the same tables whoever inserts (a superuser's search_path differs).
    await runner.query(`DO $$ BEGIN
        EXECUTE format('ALTER FUNCTION book_batch(jsonb) SET search_path = %I, pg_temp', current_schema());
        EXECUTE format('ALTER FUNCTION postings_balanced() SET search_path = %I, pg_temp', current_schema());
      END $$`);

    await runner.query(`REVOKE ALL ON FUNCTION book_batch(jsonb) FROM PUBLIC`);
    await runner.query(`GRANT EXECUTE ON FUNCTION book_batch(jsonb) TO ${runtime}`);
    await runner.query(`REVOKE ALL ON ${BOOK_TABLES.join(', ')} FROM ${runtime}`);
    await runner.query(`GRANT SELECT ON ${BOOK_TABLES.join(', ')} TO ${runtime}`);
    await runner.query(`REVOKE ALL ON SEQUENCE ${BOOK_SEQUENCES.join(', ')} FROM ${runtime}`);
  }

  async down(runner: QueryRunner): Promise<void> {
    const runtime = serviceRole('ledger');
    await runner.query(`DROP FUNCTION book_batch(jsonb)`);
    await runner.query(`DROP TABLE closed_intents`);
    await runner.query(`GRANT INSERT ON accounts, entries, postings TO ${runtime}`);
    await runner.query(`GRANT UPDATE ON accounts TO ${runtime}`);
    await runner.query(`GRANT USAGE, SELECT ON SEQUENCE ${BOOK_SEQUENCES.join(', ')} TO ${runtime}`);
  }
}

/** The statement trigger of postings, now also refusing orphans and foreign currencies. */
const POSTINGS_CHECKED_SQL = `
  CREATE OR REPLACE FUNCTION postings_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE bad record;
  BEGIN
    SELECT touched.entry_id INTO bad
      FROM (SELECT DISTINCT entry_id FROM new_postings) touched
     WHERE NOT EXISTS (SELECT 1 FROM entries e WHERE e.id = touched.entry_id) LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'posting without its entry: entry % does not exist', bad.entry_id USING ERRCODE = 'foreign_key_violation';
    END IF;
    SELECT n.entry_id, n.currency, a.currency AS account_currency INTO bad
      FROM new_postings n JOIN accounts a ON a.id = n.account_id
     WHERE n.currency <> a.currency LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'posting of entry % in % to an account in %', bad.entry_id, bad.currency, bad.account_currency
        USING ERRCODE = 'check_violation';
    END IF;
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
  END $$`;

/**
 * book_batch({ accounts: [{code, currency, kind, type, merchant_id, provider}],
 *              entries: [{source_event_id, kind, merchant_id, intent_id, occurred_at,
 *                         voids_entry_id | voids_batch_index (1-based, an earlier entry of the batch),
 *                         postings: [{account, currency, direction, amount, pending}]}],
 *              closed_intents: [{intent_id, event_id, closed_as}] })
 * returns each entry's id by its source event id. A constant number of statements per batch:
 * accounts locked once each in id order (the missing ones opened in (code, currency) order), one
 * multi-row insert of entries and one of postings, each touched balance written once.
 */
const BOOK_BATCH_SQL = `
  CREATE FUNCTION book_batch(p_batch jsonb) RETURNS TABLE (booked_event_id uuid, booked_entry_id bigint)
  LANGUAGE plpgsql SECURITY DEFINER AS $$
  DECLARE
    v_entries  jsonb := coalesce(p_batch->'entries', '[]'::jsonb);
    v_accounts jsonb := coalesce(p_batch->'accounts', '[]'::jsonb);
    v_ids      bigint[];
    v_wanted   int;
    v_locked   int;
    bad        record;
  BEGIN
    IF jsonb_typeof(v_entries) <> 'array' OR jsonb_typeof(v_accounts) <> 'array' THEN
      RAISE EXCEPTION 'book_batch: entries and accounts must be arrays' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- An entry without postings would escape the postings trigger: refuse any entry under two.
    SELECT t.doc->>'source_event_id' AS source INTO bad
      FROM jsonb_array_elements(v_entries) t(doc)
     WHERE jsonb_typeof(t.doc->'postings') IS DISTINCT FROM 'array' OR jsonb_array_length(t.doc->'postings') < 2
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'entry of event % has fewer than two postings', bad.source USING ERRCODE = 'check_violation';
    END IF;

    SELECT count(*) INTO v_wanted
      FROM (SELECT DISTINCT code, currency FROM jsonb_to_recordset(v_accounts) k(code text, currency char(3))) k;
    PERFORM 1 FROM accounts a
      JOIN (SELECT DISTINCT code, currency FROM jsonb_to_recordset(v_accounts) k(code text, currency char(3))) k
        ON a.code = k.code AND a.currency = k.currency
     ORDER BY a.id FOR UPDATE OF a;
    GET DIAGNOSTICS v_locked = ROW_COUNT;
    IF v_locked < v_wanted THEN
      INSERT INTO accounts (code, currency, kind, type, merchant_id, provider)
      SELECT k.code, k.currency, k.kind, k.type, k.merchant_id, k.provider
        FROM jsonb_to_recordset(v_accounts) k(code text, currency char(3), kind text, type text, merchant_id text, provider text)
       WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.code = k.code AND a.currency = k.currency)
       ORDER BY k.code, k.currency
      ON CONFLICT (code, currency) DO NOTHING;
      PERFORM 1 FROM accounts a
        JOIN (SELECT DISTINCT code, currency FROM jsonb_to_recordset(v_accounts) k(code text, currency char(3))) k
          ON a.code = k.code AND a.currency = k.currency
       ORDER BY a.id FOR UPDATE OF a;
    END IF;

    SELECT array_agg(nextval('entries_id_seq') ORDER BY g) INTO v_ids
      FROM generate_series(1, jsonb_array_length(v_entries)) g;

    -- New entries only: a source event booked before is a unique violation, never a new posting on it.
    INSERT INTO entries (id, source_event_id, kind, merchant_id, intent_id, voids_entry_id, occurred_at)
    SELECT v_ids[t.i], (t.doc->>'source_event_id')::uuid, t.doc->>'kind', t.doc->>'merchant_id', t.doc->>'intent_id',
           coalesce(v_ids[(t.doc->>'voids_batch_index')::int], (t.doc->>'voids_entry_id')::bigint),
           (t.doc->>'occurred_at')::timestamptz
      FROM jsonb_array_elements(v_entries) WITH ORDINALITY t(doc, i);

    SELECT e.id INTO bad
      FROM entries e LEFT JOIN entries h ON h.id = e.voids_entry_id
     WHERE e.id = ANY (v_ids) AND e.voids_entry_id IS NOT NULL
       AND (h.id IS NULL OR h.kind <> 'authorization_hold' OR h.intent_id IS DISTINCT FROM e.intent_id)
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'entry % voids no authorization hold of its intent', bad.id USING ERRCODE = 'check_violation';
    END IF;

    -- A hold on an intent already captured or canceled would never be released.
    SELECT e.id, e.intent_id INTO bad
      FROM entries e JOIN closed_intents c ON c.intent_id = e.intent_id
     WHERE e.id = ANY (v_ids) AND e.kind = 'authorization_hold'
     LIMIT 1;
    IF FOUND THEN
      RAISE EXCEPTION 'entry % holds an authorization of intent %, which is already closed', bad.id, bad.intent_id
        USING ERRCODE = 'check_violation';
    END IF;

    -- Postings only for the entries just inserted, each on the account of its own currency.
    INSERT INTO postings (entry_id, account_id, direction, amount, currency, pending)
    SELECT v_ids[t.i], a.id, p.direction, p.amount, p.currency, p.pending
      FROM jsonb_array_elements(v_entries) WITH ORDINALITY t(doc, i)
     CROSS JOIN LATERAL jsonb_to_recordset(t.doc->'postings') p(account text, currency char(3), direction text, amount bigint, pending boolean)
      LEFT JOIN accounts a ON a.code = p.account AND a.currency = p.currency;

    -- Running totals move by the sums of those postings, and by nothing else.
    UPDATE accounts a
       SET debits_posted   = a.debits_posted   + d.dp, credits_posted  = a.credits_posted  + d.cp,
           debits_pending  = a.debits_pending  + d.dpe, credits_pending = a.credits_pending + d.cpe
      FROM (SELECT p.account_id,
                   coalesce(sum(p.amount) FILTER (WHERE NOT p.pending AND p.direction = 'debit'), 0) AS dp,
                   coalesce(sum(p.amount) FILTER (WHERE NOT p.pending AND p.direction = 'credit'), 0) AS cp,
                   coalesce(sum(p.amount) FILTER (WHERE p.pending AND p.direction = 'debit'), 0) AS dpe,
                   coalesce(sum(p.amount) FILTER (WHERE p.pending AND p.direction = 'credit'), 0) AS cpe
              FROM postings p WHERE p.entry_id = ANY (v_ids) GROUP BY p.account_id) d
     WHERE a.id = d.account_id;

    INSERT INTO closed_intents (intent_id, closed_by_event_id, closed_as)
    SELECT c.intent_id, c.event_id, c.closed_as
      FROM jsonb_to_recordset(coalesce(p_batch->'closed_intents', '[]'::jsonb)) c(intent_id text, event_id uuid, closed_as text)
    ON CONFLICT (intent_id) DO NOTHING;

    RETURN QUERY SELECT (t.doc->>'source_event_id')::uuid, v_ids[t.i]
      FROM jsonb_array_elements(v_entries) WITH ORDINALITY t(doc, i);
  END $$`;
