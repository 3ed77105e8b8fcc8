import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The orchestrator's own state (DESIGN.md, "PSP connectors and the orchestrator"; docs/orchestrator.md):
 *
 * - `attempts`: one row per (request, PSP): what to ask, under which idempotency key, its status,
 *   and when the worker may call next (`next_attempt_at`) — retries are rows, never loops.
 * - `routing_rules`: merchant rules, edited through the internal admin API.
 * - `psp_notifications`: every PSP notification received, kept `pending` while no attempt can take it
 *   (order-independent application) and `applied` / `ignored` / `duplicate` once decided.
 */
export class AttemptsAndRouting1764230400001 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE attempts (
        id                          text        PRIMARY KEY,
        intent_id                   text        NOT NULL,
        merchant_id                 text        NOT NULL,
        operation                   text        NOT NULL CHECK (operation IN ('authorize', 'capture', 'cancel', 'refund')),
        request_ref                 text        NOT NULL,
        route_index                 integer     NOT NULL DEFAULT 0 CHECK (route_index >= 0),
        provider                    text        CHECK (provider IN ('stripe', 'adyen')),
        route                       text[]      NOT NULL DEFAULT '{}',
        routing_reason              text,
        try_no                      integer     NOT NULL DEFAULT 0 CHECK (try_no >= 0),
        idempotency_key             text        NOT NULL UNIQUE,
        amount                      bigint      NOT NULL CHECK (amount > 0),
        currency                    char(3)     NOT NULL,
        payment_method              text,
        capture_method              text        CHECK (capture_method IN ('manual', 'automatic')),
        refund_id                   text,
        reason                      text,
        psp_reference               text,
        operation_psp_reference     text,
        status                      text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'declined', 'failed', 'unknown')),
        maybe_executed              boolean     NOT NULL DEFAULT false,
        compensating                boolean     NOT NULL DEFAULT false,
        amount_captured             bigint      CHECK (amount_captured >= 0),
        error_class                 text,
        code                        text,
        decline_code                text,
        message                     text,
        next_attempt_at             timestamptz,
        lease_id                    uuid,
        awaiting_notification_since timestamptz,
        unknown_since               timestamptz,
        request_event_id            uuid        NOT NULL,
        correlation_id              text,
        version                     integer     NOT NULL DEFAULT 1,
        created_at                  timestamptz NOT NULL,
        updated_at                  timestamptz NOT NULL,
        settled_at                  timestamptz,
        UNIQUE (request_ref, route_index),
        -- A settled attempt has nothing left to do; an unsettled one is due, in flight or awaiting a webhook.
        CHECK (status IN ('pending', 'unknown') OR next_attempt_at IS NULL),
        CHECK (provider IS NOT NULL OR status = 'failed')
      )`);
    // The worker's claim: due rows only, oldest first.
    await runner.query(
      `CREATE INDEX attempts_due_idx ON attempts (next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
    );
    await runner.query(`CREATE INDEX attempts_intent_idx ON attempts (intent_id, created_at, id)`);
    await runner.query(
      `CREATE INDEX attempts_psp_reference_idx ON attempts (psp_reference) WHERE psp_reference IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX attempts_operation_reference_idx ON attempts (operation_psp_reference) WHERE operation_psp_reference IS NOT NULL`,
    );

    await runner.query(`
      CREATE TABLE routing_rules (
        id           text        PRIMARY KEY,
        merchant_id  text        NOT NULL,
        priority     integer     NOT NULL,
        enabled      boolean     NOT NULL DEFAULT true,
        currency     char(3),
        min_amount   bigint      CHECK (min_amount > 0),
        max_amount   bigint      CHECK (max_amount > 0),
        card_brand   text,
        providers    text[]      NOT NULL CHECK (cardinality(providers) >= 1 AND providers <@ ARRAY['stripe', 'adyen']),
        weights      integer[]   CHECK (weights IS NULL OR cardinality(weights) = cardinality(providers)),
        created_at   timestamptz NOT NULL,
        updated_at   timestamptz NOT NULL,
        CHECK (min_amount IS NULL OR max_amount IS NULL OR min_amount <= max_amount)
      )`);
    await runner.query(
      `CREATE INDEX routing_rules_merchant_idx ON routing_rules (merchant_id, priority, id)`,
    );

    await runner.query(`
      CREATE TABLE psp_notifications (
        id              bigserial   PRIMARY KEY,
        provider        text        NOT NULL CHECK (provider IN ('stripe', 'adyen')),
        psp_event_id    text        NOT NULL,
        event_id        uuid        NOT NULL,
        kind            text        NOT NULL,
        success         boolean     NOT NULL,
        psp_reference   text        NOT NULL,
        intent_id       text,
        attempt_id      text,
        refund_id       text,
        amount          bigint      NOT NULL,
        currency        char(3)     NOT NULL,
        status          text        NOT NULL CHECK (status IN ('pending', 'applied', 'ignored')),
        outcome         text,
        event           jsonb       NOT NULL,
        received_at     timestamptz NOT NULL,
        decided_at      timestamptz,
        UNIQUE (provider, psp_event_id)
      )`);
    // Pending notifications are looked up by the intent (or PSP reference) an attempt change touches.
    await runner.query(
      `CREATE INDEX psp_notifications_pending_intent_idx ON psp_notifications (intent_id, id) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX psp_notifications_pending_reference_idx ON psp_notifications (psp_reference, id) WHERE status = 'pending'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE psp_notifications`);
    await runner.query(`DROP TABLE routing_rules`);
    await runner.query(`DROP TABLE attempts`);
  }
}
