import { Injectable, Logger } from '@nestjs/common';
import { Context, ROOT_CONTEXT, context } from '@opentelemetry/api';
import { DataSource } from 'typeorm';
import type { Provider } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { pgPoolOf } from '@payflow/platform/database';
import { OutboxRelay, OutboxWriter, type OutgoingEvent } from '@payflow/platform/outbox';
import type { PspNotification } from '@payflow/psp';
import { pspCommitBatchEvents, pspCommitSeconds, pspWebhookEventsTotal } from './received-events-metrics';
import { pspNotificationEvent } from './psp-notification-event';

/** One verified PSP event (a Stripe event, one Adyen notification item). */
export interface VerifiedPspEvent {
  provider: Provider;
  /** The deduplication key (Stripe `evt_…`; Adyen eventCode:pspReference:originalReference:success). */
  pspEventId: string;
  /** The PSP's own type (`payment_intent.succeeded`, `AUTHORISATION`). */
  eventType: string;
  /** As received: Stripe's exact body; an Adyen item as JSON (its HMAC covers field values, not bytes). */
  rawPayload: string;
  /** A few request headers for audit (never credentials or signatures). */
  headers: Record<string, string>;
  /** What PayFlow acts on; empty for types it only records. */
  notifications: PspNotification[];
  /**
   * Why a signed event cannot be used at all (an Adyen item with an unknown currency, a Stripe
   * object lacking a field PayFlow reads): it is stored with this as its `publish_error` and
   * acknowledged, so the PSP stops resending it and nothing else in its request is held back.
   */
  unusable?: string;
}

export interface RecordOutcome {
  stored: number;
  duplicates: number;
}

/** An event with what will be written for it: its outbox events, or why it cannot be published. */
interface Prepared {
  event: VerifiedPspEvent;
  key: string;
  outgoing: OutgoingEvent[];
  publishError: string | null;
  receivedAt: Date;
  /** The request's trace context, carried by its outbox events when it commits alone. */
  traceContext: Context;
}

/** One request waiting for its events to be committed. */
interface Waiting {
  prepared: Prepared[];
  resolve: (outcome: RecordOutcome) => void;
  reject: (error: unknown) => void;
}

/**
 * Transactions in flight at once: two keep the database busy while the event loop prepares the next
 * batch, and leave the pool's other connections to the consumer, the relay and the API.
 */
const MAX_CONCURRENT_COMMITS = 2;
/**
 * A second transaction starts beside a running one only for at least this many waiting events:
 * below that, waiting for the first and writing them together costs less than another commit
 * (measured with bench:webhooks: batches of ~10 events at ~2,000 events/s).
 */
const MIN_EVENTS_FOR_ANOTHER_COMMIT = 8;
/** Most events written by one transaction. */
const MAX_EVENTS_PER_COMMIT = 500;

/** Rows in key order (see write()); a PSP's retry of a stored event conflicts and inserts nothing. */
const INSERT_RECEIVED = `
  INSERT INTO received_psp_events
    (provider, psp_event_id, event_type, psp_reference, intent_id, raw_payload, headers, notifications, publish_error, received_at)
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[], $9::text[], $10::timestamptz[])
  ON CONFLICT (provider, psp_event_id) DO NOTHING
  RETURNING provider, psp_event_id`;

const keyOf = (event: VerifiedPspEvent) => `${event.provider}\u0000${event.pspEventId}`;

/**
 * Stores verified PSP events and publishes their normalized notifications: the raw rows and the
 * outbox rows commit together or not at all, and a request is acknowledged only once they have. A
 * PSP's retry of an event already stored conflicts on (provider, psp_event_id) and does nothing —
 * no second row, no second outbox event — which is what makes duplicates harmless.
 *
 * Group commit: requests that arrive while a storing transaction runs wait and are then written
 * together, in one transaction (a second transaction starts beside the first only once
 * MIN_EVENTS_FOR_ANOTHER_COMMIT events wait, at most MAX_CONCURRENT_COMMITS at once). An idle
 * service commits each request at once
 * (no added delay); a busy one pays one commit and a handful of round trips per batch instead of
 * per request. Rows are inserted in key order, so two concurrent batches holding the same events
 * take their locks in the same order. If a batch fails, its requests are retried one by one, so
 * one bad request never fails the others.
 */
@Injectable()
export class ReceivedPspEvents {
  private readonly logger = new Logger(ReceivedPspEvents.name);
  private readonly waiting: Waiting[] = [];
  private committing = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: OutboxWriter,
    private readonly relay: OutboxRelay,
    private readonly clock: Clock,
  ) {}

  record(events: VerifiedPspEvent[], requestId: string | undefined): Promise<RecordOutcome> {
    if (events.length === 0) return Promise.resolve({ stored: 0, duplicates: 0 });
    const prepared = this.prepare(events, requestId);
    return new Promise((resolve, reject) => {
      this.waiting.push({ prepared, resolve, reject });
      this.startCommits();
    });
  }

  /** Builds and validates the outbox events outside any transaction. */
  private prepare(events: VerifiedPspEvent[], requestId: string | undefined): Prepared[] {
    const receivedAt = this.clock.now();
    const traceContext = context.active();
    return events.map((event) => {
      const outgoing: OutgoingEvent[] = [];
      const errors: string[] = [];
      for (const notification of event.notifications) {
        const result = pspNotificationEvent(notification, { occurredAt: receivedAt, requestId });
        if (result.ok) outgoing.push(result.outgoing);
        else errors.push(result.error);
      }
      return {
        event,
        key: keyOf(event),
        outgoing,
        publishError: event.unusable
          ? `unusable: ${event.unusable}`
          : errors.length
            ? errors.join(' | ')
            : null,
        receivedAt,
        traceContext,
      };
    });
  }

  private startCommits(): void {
    while (this.committing < MAX_CONCURRENT_COMMITS && this.waiting.length > 0) {
      if (this.committing > 0 && this.waitingEvents() < MIN_EVENTS_FOR_ANOTHER_COMMIT) return;
      const batch: Waiting[] = [];
      let size = 0;
      while (
        this.waiting.length > 0 &&
        (batch.length === 0 || size + this.waiting[0].prepared.length <= MAX_EVENTS_PER_COMMIT)
      ) {
        const next = this.waiting.shift()!;
        batch.push(next);
        size += next.prepared.length;
      }
      this.committing++;
      void this.commitBatch(batch).finally(() => {
        this.committing--;
        this.startCommits();
      });
    }
  }

  private waitingEvents(): number {
    let events = 0;
    for (const waiting of this.waiting) events += waiting.prepared.length;
    return events;
  }

  private async commitBatch(batch: Waiting[]): Promise<void> {
    try {
      const fresh = await this.write(batch.flatMap((waiting) => waiting.prepared));
      this.settle(batch, fresh);
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      this.logger.warn(
        `a batch of ${batch.length} PSP webhook requests failed (${(error as Error).message}); retrying them one by one`,
      );
      for (const waiting of batch) {
        try {
          this.settle([waiting], await this.write(waiting.prepared));
        } catch (single) {
          waiting.reject(single);
        }
      }
    }
  }

  /**
   * One transaction: the raw rows (duplicates skipped), then the outbox events of the new ones.
   * Returns the new keys. On the pool's own client rather than TypeORM's transaction helper, which
   * costs an extra `SET TRANSACTION` round trip (so the relay is woken here, as TypeORM's commit
   * subscriber would): each statement is queued right behind the one before
   * (BEGIN with the INSERT, the outbox INSERT with COMMIT), so under load they do not each wait for
   * a turn of a busy event loop. A COMMIT queued behind a failed statement ends in a rollback, and
   * the failure is what this throws.
   */
  private async write(prepared: Prepared[]): Promise<Set<string>> {
    const rows = [...prepared].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    pspCommitBatchEvents.observe(rows.length);
    const timer = pspCommitSeconds.startTimer();
    const client = await pgPoolOf(this.dataSource).connect();
    let released = false;
    try {
      const begin = client.query('BEGIN');
      const insert = client.query<{ provider: string; psp_event_id: string }>(INSERT_RECEIVED, [
        rows.map((p) => p.event.provider),
        rows.map((p) => p.event.pspEventId),
        rows.map((p) => p.event.eventType),
        rows.map(
          (p) =>
            p.event.notifications[0]?.paymentPspReference ||
            p.event.notifications[0]?.data.psp_reference ||
            null,
        ),
        rows.map(
          (p) => (p.outgoing[0]?.event.data as { intent_id?: string | null } | undefined)?.intent_id ?? null,
        ),
        rows.map((p) => p.event.rawPayload),
        rows.map((p) => JSON.stringify(p.event.headers)),
        rows.map((p) =>
          p.event.notifications.length ? JSON.stringify(p.event.notifications.map((n) => n.data)) : null,
        ),
        rows.map((p) => p.publishError),
        rows.map((p) => p.receivedAt),
      ]);
      const [, result] = await Promise.all([begin, insert]);
      const inserted = new Set(result.rows.map((r) => `${r.provider}\u0000${r.psp_event_id}`));
      // The same event twice in one batch (an Adyen resend, two retries at once) is published once.
      const published = new Set<string>();
      const outgoing = rows.flatMap((p) => {
        if (!inserted.has(p.key) || published.has(p.key)) return [];
        published.add(p.key);
        return p.outgoing;
      });
      // A batch of several requests has no one trace: its events carry none rather than another request's.
      const traceContext = rows.every((p) => p.traceContext === rows[0].traceContext)
        ? rows[0].traceContext
        : ROOT_CONTEXT;
      const append = context.with(traceContext, () => this.outbox.append(client, outgoing));
      await Promise.all([append, client.query('COMMIT')]);
      timer();
      // What TypeORM's commit subscriber does for its transactions: publish now, not at the next poll.
      if (outgoing.length > 0) this.relay.announce();
      return inserted;
    } catch (error) {
      // Leave no transaction open on a pooled connection; one that cannot even roll back is dropped.
      await client.query('ROLLBACK').catch((rollbackError: Error) => {
        client.release(rollbackError);
        released = true;
      });
      throw error;
    } finally {
      if (!released) client.release();
    }
  }

  /** Answers each request of a committed batch; the first request holding a new event is the one that stored it. */
  private settle(batch: Waiting[], fresh: Set<string>): void {
    for (const waiting of batch) {
      let stored = 0;
      for (const p of waiting.prepared) {
        if (!fresh.delete(p.key)) continue;
        stored++;
        pspWebhookEventsTotal.inc({ provider: p.event.provider, outcome: 'stored' });
        if (p.event.unusable) {
          // Stored raw for a person to read; loud, because the orchestrator will not hear of this one.
          this.logger.error(
            `${p.event.provider} event ${p.event.pspEventId} (${p.event.eventType}) stored as unusable: ${p.event.unusable}`,
          );
          pspWebhookEventsTotal.inc({ provider: p.event.provider, outcome: 'unusable' });
        } else if (p.publishError) {
          // Stored raw for replay; loud, because the orchestrator will not hear of this one.
          this.logger.error(
            `${p.event.provider} event ${p.event.pspEventId} stored but not published: ${p.publishError}`,
          );
          pspWebhookEventsTotal.inc({ provider: p.event.provider, outcome: 'unpublishable' });
        }
      }
      const duplicates = waiting.prepared.length - stored;
      if (duplicates > 0)
        pspWebhookEventsTotal.inc(
          { provider: waiting.prepared[0].event.provider, outcome: 'duplicate' },
          duplicates,
        );
      waiting.resolve({ stored, duplicates });
    }
  }
}
