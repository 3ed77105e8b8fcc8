/**
 * The outbox and inbox tables every service has in its own schema. A service's first migration
 * creates them through createMessagingTablesSql(), so their shape is the same everywhere.
 *
 * - outbox: rows written in the same transaction as the state change; `published_at IS NULL` marks
 *   what the relay still has to publish (never a last-id cursor: ids are taken at insert, not at
 *   commit). The writer's process wakes the relay after commit (see OutboxCommitSubscriber); no
 *   trigger NOTIFYs, because commits of notifying transactions are serialized cluster-wide by
 *   Postgres' notification queue lock, which halved the write rate of a whole service.
 * - set aside: a row Kafka refuses for good (too large, invalid) gets `set_aside_at` and the broker's
 *   reason instead of `published_at`, so the rows behind it go on; it stays for an operator.
 * - inbox: `(consumer, event_id)` of every applied event, inserted in the handler's transaction, so a
 *   redelivered event is skipped.
 */
export function outboxChannel(schema: string): string {
  return `${schema}_outbox`;
}

export function createMessagingTablesSql(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE TABLE ${s}.outbox (
       id            bigserial PRIMARY KEY,
       event_id      uuid        NOT NULL UNIQUE,
       topic         text        NOT NULL,
       message_key   text        NOT NULL,
       event_type    text        NOT NULL,
       payload       jsonb       NOT NULL,
       headers       jsonb       NOT NULL DEFAULT '{}'::jsonb,
       created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
       published_at  timestamptz
     )`,
    ...outboxSetAsideSql(schema),
    `CREATE INDEX outbox_published_at_idx ON ${s}.outbox (published_at) WHERE published_at IS NOT NULL`,
    `CREATE TABLE ${s}.inbox (
       consumer      text        NOT NULL,
       event_id      uuid        NOT NULL,
       event_type    text        NOT NULL,
       processed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
       PRIMARY KEY (consumer, event_id)
     )`,
    `CREATE INDEX inbox_processed_at_idx ON ${s}.inbox (processed_at)`,
  ];
}

/**
 * The set-aside columns and the relay's scan index over rows still to publish. Idempotent: the
 * messaging tables of a new schema include them, and the migration that adds them to existing
 * schemas (`<timestamp>-outbox-set-aside`) then changes nothing.
 */
export function outboxSetAsideSql(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `ALTER TABLE ${s}.outbox ADD COLUMN IF NOT EXISTS set_aside_at timestamptz,
                              ADD COLUMN IF NOT EXISTS set_aside_reason text`,
    `CREATE INDEX IF NOT EXISTS outbox_to_publish_idx ON ${s}.outbox (id)
       WHERE published_at IS NULL AND set_aside_at IS NULL`,
    `DROP INDEX IF EXISTS ${s}.outbox_unpublished_idx`,
  ];
}

export function dropOutboxSetAsideSql(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON ${s}.outbox (id) WHERE published_at IS NULL`,
    `DROP INDEX IF EXISTS ${s}.outbox_to_publish_idx`,
    `ALTER TABLE ${s}.outbox DROP COLUMN IF EXISTS set_aside_reason, DROP COLUMN IF EXISTS set_aside_at`,
  ];
}

export function dropMessagingTablesSql(schema: string): string[] {
  const s = `"${schema}"`;
  return [`DROP TABLE ${s}.inbox`, `DROP TABLE ${s}.outbox`];
}
