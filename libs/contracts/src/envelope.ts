import { randomUUID } from 'node:crypto';
import { IsInt, IsNotEmpty, IsObject, IsOptional, IsString, IsUUID, Min } from 'class-validator';
import { IsTimestamp } from './validation/is-timestamp';

/**
 * The envelope every event travels in (DESIGN.md, "Events"): the same metadata for every type, so
 * relays, inboxes, dead-lettering and tracing work without knowing the payload.
 */
export interface EventEnvelope<TData = unknown> {
  /** uuid, unique per event: the inbox deduplicates on it, so a redelivery has no second effect. */
  id: string;
  /** e.g. `payment_intent.captured`; selects the schema of `data`. */
  type: string;
  /** Version of the `data` schema of this type, from 1; bumped only for incompatible changes. */
  schema_version: number;
  /** The producing service, e.g. `intents`. */
  source: string;
  /** What the event is about, e.g. `payment_intent`, `refund`, `attempt`, `ledger_entry`. */
  aggregate_type: string;
  aggregate_id: string;
  /**
   * Version of the aggregate after this change, from 0, increasing per aggregate: lets a consumer
   * spot an out-of-date or already applied event without trusting delivery order.
   */
  aggregate_version: number;
  merchant_id: string;
  /** ISO 8601 instant at which the change was committed by its producer. */
  occurred_at: string;
  /** The request or flow this event belongs to (logs across services). */
  correlation_id: string | null;
  /** The event id or request id that caused this event. */
  causation_id: string | null;
  data: TData;
}

/** Kafka header carrying the event id, so a consumer can deduplicate before parsing the value. */
export const EVENT_ID_HEADER = 'event-id';
/** Kafka header carrying the event type, so routing and metrics need not parse the value. */
export const EVENT_TYPE_HEADER = 'event-type';
/** W3C trace context, propagated through Kafka so one trace spans API, PSP, webhook and ledger. */
export const TRACEPARENT_HEADER = 'traceparent';
/** Kafka header repeating the envelope's correlation id for log shippers. */
export const CORRELATION_ID_HEADER = 'correlation-id';

/**
 * class-validator schema of the envelope. `data` is only checked to be an object here: its schema
 * depends on `type` and is applied by `validateEvent`.
 */
export class EventEnvelopeSchema implements EventEnvelope<object> {
  // Any RFC 9562 version: producers use v4 from `randomUUID()`, but v7 (time-ordered) is as good.
  @IsUUID('all')
  id!: string;

  @IsString()
  @IsNotEmpty()
  type!: string;

  @IsInt()
  @Min(1)
  schema_version!: number;

  @IsString()
  @IsNotEmpty()
  source!: string;

  @IsString()
  @IsNotEmpty()
  aggregate_type!: string;

  @IsString()
  @IsNotEmpty()
  aggregate_id!: string;

  @IsInt()
  @Min(0)
  aggregate_version!: number;

  @IsString()
  @IsNotEmpty()
  merchant_id!: string;

  @IsTimestamp()
  occurred_at!: string;

  // Optional on input (read as null): a producer without a request context may leave them out.
  @IsOptional()
  @IsString()
  correlation_id!: string | null;

  @IsOptional()
  @IsString()
  causation_id!: string | null;

  @IsObject()
  data!: object;
}

/** What a producer supplies; `createEnvelope` fills in the rest. */
export interface CreateEnvelopeInput<TData, TType extends string = string> {
  type: TType;
  source: string;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  merchant_id: string;
  data: TData;
  correlation_id?: string | null;
  causation_id?: string | null;
  /** Defaults to now. Pass the transaction's clock when several events must share one instant. */
  occurred_at?: string;
  /** Defaults to a fresh `randomUUID()`. Pass one only to rebuild an event deterministically. */
  id?: string;
  /** Defaults to 1. */
  schema_version?: number;
}

/**
 * Builds an envelope, filling `id` with a random uuid, `occurred_at` with now, `schema_version`
 * with 1 and missing correlation/causation ids with null. It does not validate; producers that
 * want the guarantee before writing to their outbox call `validateEvent` on the result.
 */
export function createEnvelope<TData, TType extends string = string>(
  input: CreateEnvelopeInput<TData, TType>,
): EventEnvelope<TData> & { type: TType } {
  return {
    id: input.id ?? randomUUID(),
    type: input.type,
    schema_version: input.schema_version ?? 1,
    source: input.source,
    aggregate_type: input.aggregate_type,
    aggregate_id: input.aggregate_id,
    aggregate_version: input.aggregate_version,
    merchant_id: input.merchant_id,
    occurred_at: input.occurred_at ?? new Date().toISOString(),
    correlation_id: input.correlation_id ?? null,
    causation_id: input.causation_id ?? null,
    data: input.data,
  };
}
