import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The PSP's last word (issue 10, docs/orchestrator.md):
 * - `network`, `advice_code`: declines carry what dunning needs (card network, network advice code);
 * - `first_called_at`: the first money call under the attempt's key — no same-key replay is sent
 *   later than PSP_IDEMPOTENCY_REPLAY_WINDOW_MS after it (Stripe forgets keys after 24 h);
 * - `compensates_attempt_id`, `compensation`: an attempt PayFlow sends on its own to undo another
 *   (the deadline cancel of an unknown authorization, the void or refund of a late success);
 * - `resolution`: on an authorization, the deadline resolution under way (`deadline_cancel` while
 *   its cancel runs, `awaiting_authorization` when the cancel was refused because it was captured);
 * - `reconcile_tries`: retrieves (reconciliations) of the attempt so far, for their backoff;
 * - `overdue_since`: an operation awaiting a notification past PSP_NOTIFICATION_DEADLINE_MS (Adyen);
 * - `reversed_at`: a success the PSP took back later (CAPTURE_FAILED, REFUND_FAILED, …).
 */
export class PspLastWord1765000000000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE attempts
        ADD COLUMN network                text,
        ADD COLUMN advice_code            text,
        ADD COLUMN first_called_at        timestamptz,
        ADD COLUMN compensates_attempt_id text,
        ADD COLUMN compensation           text CHECK (compensation IN ('deadline_cancel', 'late_success_void', 'late_success_refund')),
        ADD COLUMN resolution             text CHECK (resolution IN ('deadline_cancel', 'awaiting_authorization')),
        ADD COLUMN reconcile_tries        integer NOT NULL DEFAULT 0 CHECK (reconcile_tries >= 0),
        ADD COLUMN overdue_since          timestamptz,
        ADD COLUMN reversed_at            timestamptz`);
    await runner.query(
      `CREATE INDEX attempts_compensates_idx ON attempts (compensates_attempt_id) WHERE compensates_attempt_id IS NOT NULL`,
    );
    // The overdue gauge is refreshed from here: few rows, read often.
    await runner.query(
      `CREATE INDEX attempts_overdue_idx ON attempts (provider, operation) WHERE overdue_since IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX attempts_overdue_idx`);
    await runner.query(`DROP INDEX attempts_compensates_idx`);
    await runner.query(`
      ALTER TABLE attempts
        DROP COLUMN network, DROP COLUMN advice_code, DROP COLUMN first_called_at, DROP COLUMN compensates_attempt_id,
        DROP COLUMN compensation, DROP COLUMN resolution, DROP COLUMN reconcile_tries, DROP COLUMN overdue_since,
        DROP COLUMN reversed_at`);
  }
}
