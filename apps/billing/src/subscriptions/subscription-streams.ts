import { HttpStatus, Injectable, Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { SubscriptionObject, SubscriptionStatus, TOPICS, createEvent } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Queryable, affectedRowsOf, inTransaction, rowsOf, sqlState } from '@payflow/platform/database';
import { ApiError } from '@payflow/platform/http';
import { OutboxWriter, OutgoingEvent } from '@payflow/platform/outbox';
import { NewSubscriptionEvent } from './subscription-rules';
import { fromSeconds, isoOf, toSeconds, toSubscriptionObject } from './subscription-object';
import { SubscriptionEvent, SubscriptionState, foldSubscription } from './subscription-stream';
import { outboxReasonOf, outboxTypeOf, previousStatusOf } from './stream-outbox';

const UNIQUE_VIOLATION = '23505';

/** A subscription's stream as stored, and its fold. */
export interface LoadedStream {
  events: SubscriptionEvent[];
  state: SubscriptionState;
}

export interface AppendedStream extends LoadedStream {
  /** The read model's object after the append (what the API answers). */
  object: SubscriptionObject;
}

/** What caused a change, for the published events' correlation and causation ids. */
export interface Cause {
  correlationId: string | null;
  causationId: string | null;
}

/** The same cause in the invoices' (snake case) shape, so invoice events trace to the request too. */
export const billCause = (cause: Cause) => ({ correlation_id: cause.correlationId, causation_id: cause.causationId });

/** 409 when another transaction appended to the stream first (optimistic concurrency). */
export const streamConflict = (id: string) =>
  new ApiError(
    HttpStatus.CONFLICT,
    'invalid_request_error',
    'resource_conflict',
    `The subscription '${id}' was changed by a concurrent request; retry`,
  );

function readEvent(row: Record<string, unknown>): SubscriptionEvent {
  return {
    type: row['type'],
    version: Number(row['version']),
    at: toSeconds(new Date(row['occurred_at'] as Date | string)),
    data: row['data'],
  } as SubscriptionEvent;
}

/**
 * The subscription event streams (DESIGN.md "Billing"; BILLING-INTERFACES "Services"): THE ONLY
 * writer of `subscription_events`. A stream is append only (the database refuses anything else);
 * `append` checks the version the caller decided on (optimistic concurrency: of two concurrent
 * appends at one version exactly one commits, the other is a 409), refreshes the read model
 * `subscriptions` and writes the matching `subscription.*` events to the outbox — all in the
 * caller's transaction, so the stream, the read model and the published events never disagree.
 * The read model is a function of the stream (and of the newest invoice, which `latest_invoice`
 * names): `rebuild` recomputes it and `rebuildAll` does so for every stream.
 */
@Injectable()
export class SubscriptionStreams {
  private readonly logger = new Logger(SubscriptionStreams.name);

  constructor(
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /**
   * The stream and its state, or null when there is no such subscription. `forUpdate` locks the
   * read model row first: the scheduled work's handlers take it so they never race an API change
   * into a needless 409.
   */
  async load(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<LoadedStream | null> {
    if (options.forUpdate) await db.query(`SELECT 1 FROM subscriptions WHERE id = $1 FOR UPDATE`, [id]);
    const events = await this.readEvents(db, id);
    if (events.length === 0) return null;
    return { events, state: foldSubscription(events) };
  }

  /**
   * Appends `events` after version `expectedVersion` (0 for a new stream), giving them the next
   * versions. Refused with a 409 when the stream is no longer at `expectedVersion`.
   */
  async append(
    tx: Queryable,
    id: string,
    expectedVersion: number,
    events: readonly NewSubscriptionEvent[],
    cause: Cause = { correlationId: null, causationId: null },
  ): Promise<AppendedStream> {
    const previous = expectedVersion === 0 ? [] : await this.readEvents(tx, id);
    if (previous.length !== expectedVersion) throw streamConflict(id);
    if (events.length === 0) {
      if (expectedVersion === 0) throw new Error(`append to new stream ${id} without events`);
      const state = foldSubscription(previous);
      return { events: previous, state, object: await this.objectOf(tx, state) };
    }
    const appended = events.map(
      (event, i) => ({ ...event, version: expectedVersion + i + 1 }) as SubscriptionEvent,
    );
    if (appended[0].type === 'created' ? expectedVersion !== 0 : expectedVersion === 0) {
      throw new Error(`stream ${id}: a stream starts with 'created', and only once`);
    }
    try {
      await tx.query(
        `INSERT INTO subscription_events (subscription_id, version, type, data, occurred_at)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::jsonb[], $5::timestamptz[])`,
        [
          id,
          appended.map((e) => e.version),
          appended.map((e) => e.type),
          appended.map((e) => JSON.stringify(e.data)),
          appended.map((e) => fromSeconds(e.at)),
        ],
      );
    } catch (error) {
      if (sqlState(error) === UNIQUE_VIOLATION) throw streamConflict(id);
      throw error;
    }

    const stream = [...previous, ...appended];
    const state = foldSubscription(stream);
    const latestInvoice = expectedVersion === 0 ? null : await this.latestInvoiceOf(tx, id);
    const object = toSubscriptionObject(state, latestInvoice);
    await this.writeReadModel(tx, state, object, expectedVersion);

    // One published event per stream event, each with the subscription as of that event.
    const outgoing: OutgoingEvent[] = [];
    let before: SubscriptionStatus | null = previous.length > 0 ? foldSubscription(previous).status : null;
    for (let n = previous.length + 1; n <= stream.length; n++) {
      const event = stream[n - 1];
      const stateThen = n === stream.length ? state : foldSubscription(stream.slice(0, n));
      outgoing.push(this.outgoingOf(event, stateThen, toSubscriptionObject(stateThen, latestInvoice), before, cause));
      before = stateThen.status;
    }
    await this.outbox.append(tx, outgoing);
    return { events: stream, state, object };
  }

  /**
   * Sets the read model's `latest_invoice` to the subscription's newest invoice. Called after
   * `Invoicing.bill` (which writes invoices after the events that caused them); changes no version.
   */
  async refreshLatestInvoice(tx: Queryable, id: string): Promise<SubscriptionObject | null> {
    const latest = await this.latestInvoiceOf(tx, id);
    const rows = rowsOf<{ object: SubscriptionObject }>(
      await tx.query(
        `UPDATE subscriptions SET object = jsonb_set(object, '{latest_invoice}', COALESCE(to_jsonb($2::text), 'null'::jsonb)),
                                  updated_at = CASE WHEN object->>'latest_invoice' IS DISTINCT FROM $2 THEN $3 ELSE updated_at END
          WHERE id = $1
        RETURNING object`,
        [id, latest, this.clock.now()],
      ),
    );
    return rows[0]?.object ?? null;
  }

  /** The read model's object as a rebuild from the stream would write it (null: no such stream). */
  async rebuiltObject(db: Queryable, id: string): Promise<SubscriptionObject | null> {
    const loaded = await this.load(db, id);
    return loaded ? this.objectOf(db, loaded.state) : null;
  }

  /** Recomputes one read model row from its stream; true when it differed. */
  async rebuild(tx: Queryable, id: string): Promise<boolean> {
    const loaded = await this.load(tx, id, { forUpdate: true });
    if (!loaded) return false;
    const object = await this.objectOf(tx, loaded.state);
    const s = loaded.state;
    const result = await tx.query(
      `INSERT INTO subscriptions AS s (id, merchant_id, customer_id, test_clock_id, status, version, object, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb,
               (SELECT recorded_at FROM subscription_events WHERE subscription_id = $1 AND version = 1), $8)
       ON CONFLICT (id) DO UPDATE SET merchant_id = EXCLUDED.merchant_id, customer_id = EXCLUDED.customer_id,
              test_clock_id = EXCLUDED.test_clock_id, status = EXCLUDED.status, version = EXCLUDED.version,
              object = EXCLUDED.object, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
        WHERE (s.merchant_id, s.customer_id, s.test_clock_id, s.status, s.version, s.object, s.created_at)
              IS DISTINCT FROM
              (EXCLUDED.merchant_id, EXCLUDED.customer_id, EXCLUDED.test_clock_id, EXCLUDED.status, EXCLUDED.version,
               EXCLUDED.object, EXCLUDED.created_at)
       RETURNING id`,
      [s.id, s.merchant_id, s.customer_id, s.test_clock_id, s.status, s.version, JSON.stringify(object), this.clock.now()],
    );
    return rowsOf(result).length > 0;
  }

  /**
   * Rebuilds every read model from the streams, one subscription per transaction (a long rebuild
   * never holds many locks), in id order. Returns how many there were and how many differed.
   */
  async rebuildAll(dataSource: DataSource, batchSize = 100): Promise<{ subscriptions: number; rebuilt: number }> {
    let after = '';
    let subscriptions = 0;
    let rebuilt = 0;
    for (;;) {
      const ids = rowsOf<{ subscription_id: string }>(
        await dataSource.query(
          `SELECT DISTINCT subscription_id FROM subscription_events WHERE subscription_id > $1
            ORDER BY subscription_id LIMIT $2`,
          [after, batchSize],
        ),
      ).map((row) => row.subscription_id);
      if (ids.length === 0) break;
      for (const id of ids) {
        subscriptions++;
        if (await inTransaction(dataSource, (tx) => this.rebuild(tx, id))) {
          rebuilt++;
          this.logger.warn(`subscription ${id}: the read model differed from its stream and was rebuilt`);
        }
      }
      after = ids[ids.length - 1];
    }
    return { subscriptions, rebuilt };
  }

  /** The subscription's newest invoice (any status), by the customer's clock. */
  async latestInvoiceOf(db: Queryable, id: string): Promise<string | null> {
    const rows = rowsOf<{ id: string }>(
      await db.query(
        `SELECT id FROM invoices WHERE subscription_id = $1 ORDER BY created_at DESC, period_start DESC, id DESC LIMIT 1`,
        [id],
      ),
    );
    return rows[0]?.id ?? null;
  }

  private async readEvents(db: Queryable, id: string): Promise<SubscriptionEvent[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT version, type, data, occurred_at FROM subscription_events WHERE subscription_id = $1 ORDER BY version`,
        [id],
      ),
    );
    return rows.map(readEvent);
  }

  private async objectOf(db: Queryable, state: SubscriptionState): Promise<SubscriptionObject> {
    return toSubscriptionObject(state, await this.latestInvoiceOf(db, state.id));
  }

  private async writeReadModel(
    tx: Queryable,
    state: SubscriptionState,
    object: SubscriptionObject,
    expectedVersion: number,
  ): Promise<void> {
    const now = this.clock.now();
    if (expectedVersion === 0) {
      await tx.query(
        // created_at orders lists newest first: the stream's first recorded_at (the same now() of
        // this transaction), finer than `created` (whole seconds, and a test clock's instant).
        `INSERT INTO subscriptions (id, merchant_id, customer_id, test_clock_id, status, version, object, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, now(), $8)`,
        [
          state.id,
          state.merchant_id,
          state.customer_id,
          state.test_clock_id,
          state.status,
          state.version,
          JSON.stringify(object),
          now,
        ],
      );
      return;
    }
    const result = await tx.query(
      `UPDATE subscriptions SET status = $3, version = $4, object = $5::jsonb, updated_at = $6
        WHERE id = $1 AND version = $2`,
      [state.id, expectedVersion, state.status, state.version, JSON.stringify(object), now],
    );
    if (affectedRowsOf(result) !== 1) throw streamConflict(state.id);
  }

  private outgoingOf(
    event: SubscriptionEvent,
    state: SubscriptionState,
    object: SubscriptionObject,
    before: SubscriptionStatus | null,
    cause: Cause,
  ): OutgoingEvent {
    const type = outboxTypeOf(event);
    const envelope = createEvent({
      type,
      source: 'billing',
      aggregate_type: 'subscription',
      aggregate_id: state.id,
      aggregate_version: event.version,
      merchant_id: state.merchant_id,
      occurred_at: this.clock.now().toISOString(),
      correlation_id: cause.correlationId,
      causation_id: cause.causationId,
      data: {
        subscription: object,
        previous_status: previousStatusOf(event, before),
        reason: outboxReasonOf(event),
        test_clock: state.test_clock_id,
        clock_time: isoOf(event.at),
      },
    });
    return { topic: TOPICS.billing, event: envelope, key: state.id };
  }
}
