import { context, propagation } from '@opentelemetry/api';
import {
  CORRELATION_ID_HEADER,
  EVENT_ID_HEADER,
  EVENT_TYPE_HEADER,
  EventEnvelope,
  Topic,
} from '@payflow/contracts';

/** Anything that can run a parameterised query inside the caller's transaction (TypeORM or pg). */
export interface Queryable {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

/** Set on a TypeORM query runner whose transaction appended to the outbox (read after commit). */
export const OUTBOX_APPENDED = 'payflowOutboxAppended';

function markAppended(tx: Queryable): void {
  const data = (tx as { queryRunner?: { data?: Record<string, unknown> } }).queryRunner?.data;
  if (data) data[OUTBOX_APPENDED] = true;
}

export interface OutgoingEvent {
  topic: Topic | string;
  event: EventEnvelope;
  /** Kafka key; defaults to the aggregate id. Events about a payment use its payment intent id. */
  key?: string;
}

/** Kafka headers: the event id and type (deduplication, routing) and the W3C trace context. */
function headersOf(event: EventEnvelope): Record<string, string> {
  const headers: Record<string, string> = {
    [EVENT_ID_HEADER]: event.id,
    [EVENT_TYPE_HEADER]: event.type,
  };
  if (event.correlation_id) headers[CORRELATION_ID_HEADER] = event.correlation_id;
  propagation.inject(context.active(), headers);
  return headers;
}

/**
 * Appends events to a service's outbox inside the caller's transaction: they are published if and
 * only if that transaction commits. One multi-row INSERT whatever the number of events.
 */
export class OutboxWriter {
  private readonly table: string;

  constructor(schema: string) {
    this.table = `"${schema}".outbox`;
  }

  async append(tx: Queryable, events: OutgoingEvent | OutgoingEvent[]): Promise<void> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return;
    markAppended(tx);
    await tx.query(
      `INSERT INTO ${this.table} (event_id, topic, message_key, event_type, payload, headers)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[])`,
      [
        list.map((e) => e.event.id),
        list.map((e) => e.topic),
        list.map((e) => e.key ?? e.event.aggregate_id),
        list.map((e) => e.event.type),
        list.map((e) => JSON.stringify(e.event)),
        list.map((e) => JSON.stringify(headersOf(e.event))),
      ],
    );
  }
}
