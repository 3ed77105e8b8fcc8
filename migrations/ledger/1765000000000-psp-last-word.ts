import { MigrationInterface, QueryRunner } from 'typeorm';

const ENTRY_KINDS_BEFORE = ['authorization_hold', 'capture', 'refund', 'hold_void', 'reversal'];
/** Issue 10: reversing entries of what the PSP took back, and money a PSP holds for a customer. */
const NEW_ENTRY_KINDS = ['capture_reversal', 'refund_reversal', 'late_success', 'late_success_reversal'];
const quoted = (kinds: string[]) => kinds.map((kind) => `'${kind}'`).join(', ');

/**
 * The PSP's last word (issue 10) in the book:
 * - entries of the new kinds (capture and refund reversals, late successes and their reversals);
 * - the `psp_suspense:{provider}` liability needs nothing here (accounts take any kind, typed
 *   liability, and book_batch opens them like the others);
 * - a reversed capture reopens the intent to a new authorization: closed_intents gains the closure
 *   `reopened` and the aggregate version of the event that recorded each closure, so an authorization
 *   newer than the reopening books its hold while a late one from before it still books none;
 * - book_batch (SECURITY DEFINER) replaced to record reopenings and the last closure of each intent of
 *   a batch, still with a constant number of statements.
 */
export class PspLastWord1765000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE entries DROP CONSTRAINT entries_kind_check`);
    await runner.query(
      `ALTER TABLE entries ADD CONSTRAINT entries_kind_check CHECK (kind IN (${quoted([...ENTRY_KINDS_BEFORE, ...NEW_ENTRY_KINDS])}))`,
    );
    await runner.query(`ALTER TABLE closed_intents DROP CONSTRAINT closed_intents_closed_as_check`);
    await runner.query(
      `ALTER TABLE closed_intents ADD CONSTRAINT closed_intents_closed_as_check CHECK (closed_as IN ('captured', 'canceled', 'reopened'))`,
    );
    await runner.query(`ALTER TABLE closed_intents ADD COLUMN closed_at_version bigint`);
    await runner.query(BOOK_BATCH_SQL);
    // CREATE OR REPLACE resets the function's settings: its search_path is fixed again (grants stay).
    await runner.query(`DO $$ BEGIN
        EXECUTE format('ALTER FUNCTION book_batch(jsonb) SET search_path = %I, pg_temp', current_schema());
      END $$`);
  }

  /**
   * Irreversible: entries are immutable, so entries of the new kinds cannot be taken out of the book
   * to restore the old CHECK, and reopened intents could not be closed again under the old function.
   */
  async down(): Promise<void> {
    throw new Error('PspLastWord1765000000000 cannot be reverted: the book is append-only');
  }
}

/**
 * book_batch as in LedgerBookFunction1764921600100, with closures `{intent_id, event_id, closed_as,
 * version}` in batch order: the last of each intent is stored (an upsert under the closure rule), and
 * a hold of an intent reopened before the batch or in it is allowed.
 */
const BOOK_BATCH_SQL = `
  CREATE OR REPLACE FUNCTION book_batch(p_batch jsonb) RETURNS TABLE (booked_event_id uuid, booked_entry_id bigint)
  LANGUAGE plpgsql SECURITY DEFINER AS $$
  DECLARE
    v_entries  jsonb := coalesce(p_batch->'entries', '[]'::jsonb);
    v_accounts jsonb := coalesce(p_batch->'accounts', '[]'::jsonb);
    v_closures jsonb := coalesce(p_batch->'closed_intents', '[]'::jsonb);
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

    -- A hold on an intent already captured or canceled would never be released; one reopened by a
    -- reversed capture (before the batch or in it) may be authorized again.
    SELECT e.id, e.intent_id INTO bad
      FROM entries e JOIN closed_intents c ON c.intent_id = e.intent_id
     WHERE e.id = ANY (v_ids) AND e.kind = 'authorization_hold' AND c.closed_as <> 'reopened'
       AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(v_closures) r(intent_id text, closed_as text)
                        WHERE r.intent_id = e.intent_id AND r.closed_as = 'reopened')
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

    -- The last closure of each intent in the batch; the first capture or cancel stands, a reopening
    -- replaces anything, and after a reopening the next closure counts (the planner's rule too).
    INSERT INTO closed_intents (intent_id, closed_by_event_id, closed_as, closed_at_version)
    SELECT DISTINCT ON (t.doc->>'intent_id') t.doc->>'intent_id', (t.doc->>'event_id')::uuid, t.doc->>'closed_as',
           (t.doc->>'version')::bigint
      FROM jsonb_array_elements(v_closures) WITH ORDINALITY t(doc, i)
     ORDER BY t.doc->>'intent_id', t.i DESC
    ON CONFLICT (intent_id) DO UPDATE
       SET closed_by_event_id = EXCLUDED.closed_by_event_id, closed_as = EXCLUDED.closed_as,
           closed_at_version = EXCLUDED.closed_at_version, closed_at = clock_timestamp()
     WHERE closed_intents.closed_as = 'reopened' OR EXCLUDED.closed_as = 'reopened';

    RETURN QUERY SELECT (t.doc->>'source_event_id')::uuid, v_ids[t.i]
      FROM jsonb_array_elements(v_entries) WITH ORDINALITY t(doc, i);
  END $$`;
