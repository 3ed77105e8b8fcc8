import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merchants become versioned aggregates for the `merchant.created` / `merchant.updated` events on
 * `payflow.gateway.v1` (intents keeps a projection of fee schedules from them):
 * - `version`: 1 at creation, +1 per change; the events carry it, so a projection applies only newer ones;
 * - `announced_version`: the last version written to the outbox. A change writes its event and sets
 *   it in the same transaction; merchants that exist already start at 0, and the gateway's
 *   MerchantAnnouncer (at start-up, then every minute) enqueues `merchant.created` for every merchant
 *   whose `announced_version` is behind: the backfill, done by the same code as every other event.
 */
export class MerchantVersions1766000000300 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE merchants
        ADD COLUMN version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
        ADD COLUMN announced_version integer NOT NULL DEFAULT 0,
        ADD COLUMN updated_at timestamptz,
        ADD CONSTRAINT merchants_announced_version_check CHECK (announced_version BETWEEN 0 AND version)`);
    await runner.query(`UPDATE merchants SET updated_at = created_at`);
    await runner.query(`ALTER TABLE merchants ALTER COLUMN updated_at SET NOT NULL`);
    // The announcer's query: only merchants still to announce, normally none.
    await runner.query(
      `CREATE INDEX merchants_unannounced_idx ON merchants (id) WHERE announced_version < version`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX merchants_unannounced_idx`);
    await runner.query(`
      ALTER TABLE merchants
        DROP CONSTRAINT merchants_announced_version_check,
        DROP COLUMN updated_at,
        DROP COLUMN announced_version,
        DROP COLUMN version`);
  }
}
