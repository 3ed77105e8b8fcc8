import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhooks service's own state (DESIGN.md: received PSP events, merchant endpoints,
 * deliveries), besides its outbox and inbox.
 *
 * - received_psp_events: every verified PSP notification, raw, once: (provider, psp_event_id) is the
 *   deduplication key that makes a PSP's retry a no-op (INSERT … ON CONFLICT DO NOTHING).
 * - webhook_endpoints: merchants' URLs, the event types they want and the signing secret.
 * - merchant_events: the public event objects built from intents' events, one per source event.
 * - webhook_deliveries: one per (event, endpoint), with its schedule; webhook_delivery_attempts: one
 *   row per HTTP attempt, with its outcome, for `GET /v1/webhook_endpoints/{id}/deliveries`.
 * - idempotency_records: durable Idempotency-Key results of endpoint creation (Redis is only the
 *   gateway's fast path).
 */
export class Webhooks1764230400001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE received_psp_events (
        id             bigserial   PRIMARY KEY,
        provider       text        NOT NULL CHECK (provider IN ('stripe', 'adyen')),
        psp_event_id   text        NOT NULL,
        event_type     text        NOT NULL,
        psp_reference  text,
        intent_id      text,
        raw_payload    text        NOT NULL,
        headers        jsonb       NOT NULL DEFAULT '{}'::jsonb,
        -- The normalized notifications published (usually one), or null when PayFlow does not act on this type.
        notifications  jsonb,
        -- Why a notification PayFlow acts on could not be published (kept raw for replay).
        publish_error  text,
        received_at    timestamptz NOT NULL,
        UNIQUE (provider, psp_event_id)
      )`);
    await runner.query(
      `CREATE INDEX received_psp_events_received_at_idx ON received_psp_events (received_at)`,
    );
    await runner.query(
      `CREATE INDEX received_psp_events_intent_idx ON received_psp_events (intent_id) WHERE intent_id IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE webhook_endpoints (
        id              text        PRIMARY KEY,
        merchant_id     text        NOT NULL,
        url             text        NOT NULL,
        enabled_events  text[]      NOT NULL CHECK (cardinality(enabled_events) > 0),
        -- The signing secret, usable to sign: shown to the merchant once, never logged.
        secret          text        NOT NULL,
        status          text        NOT NULL CHECK (status IN ('enabled', 'disabled')),
        description     text,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX webhook_endpoints_merchant_idx ON webhook_endpoints (merchant_id, created_at DESC, id DESC)`,
    );

    await runner.query(`
      CREATE TABLE merchant_events (
        id               text        PRIMARY KEY,
        merchant_id      text        NOT NULL,
        type             text        NOT NULL,
        -- The intents event it was built from: a redelivered one builds nothing new.
        source_event_id  uuid        NOT NULL UNIQUE,
        -- json, not jsonb: the text is kept as written, so every delivery sends (and signs) the
        -- same bytes, keys in the event object's own order.
        payload          json        NOT NULL,
        created_at       timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX merchant_events_merchant_idx ON merchant_events (merchant_id, created_at DESC, id DESC)`,
    );
    await runner.query(
      `CREATE INDEX merchant_events_merchant_type_idx ON merchant_events (merchant_id, type, created_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX merchant_events_created_idx ON merchant_events (created_at)`);

    await runner.query(`
      CREATE TABLE webhook_deliveries (
        id               text        PRIMARY KEY,
        endpoint_id      text        NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_id         text        NOT NULL REFERENCES merchant_events (id) ON DELETE CASCADE,
        merchant_id      text        NOT NULL,
        status           text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed', 'canceled')),
        attempt_count    integer     NOT NULL DEFAULT 0 CHECK (attempt_count >= 0),
        -- When it is due; while an attempt is in flight, the end of that attempt's lease.
        next_attempt_at  timestamptz,
        -- Retried until this instant, then failed (WEBHOOK_RETRY_WINDOW_MS after the event).
        retry_until      timestamptz NOT NULL,
        created_at       timestamptz NOT NULL,
        completed_at     timestamptz,
        UNIQUE (endpoint_id, event_id)
      )`);
    // The worker's scan: due pending deliveries, oldest due first.
    await runner.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`,
    );
    await runner.query(`CREATE INDEX webhook_deliveries_event_idx ON webhook_deliveries (event_id)`);

    await runner.query(`
      CREATE TABLE webhook_delivery_attempts (
        id            bigserial   PRIMARY KEY,
        delivery_id   text        NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempt_no    integer     NOT NULL CHECK (attempt_no >= 1),
        started_at    timestamptz NOT NULL,
        duration_ms   integer     NOT NULL CHECK (duration_ms >= 0),
        status_code   integer,
        error         text,
        succeeded     boolean     NOT NULL,
        UNIQUE (delivery_id, attempt_no)
      )`);

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
    for (const table of [
      'idempotency_records',
      'webhook_delivery_attempts',
      'webhook_deliveries',
      'merchant_events',
      'webhook_endpoints',
      'received_psp_events',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
