import { Injectable } from '@nestjs/common';
import { newDeliveryId } from '../http/public-ids';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { markDeliveriesScheduled } from './deliveries-commit.subscriber';
import type { AttemptRow, DeliveryRow, DeliveryStatus } from './webhook-delivery';

/** A delivery claimed by the worker, with what it needs to send it. */
export interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  merchant_id: string;
  event_id: string;
  event_type: string;
  attempt_count: number;
  retry_until: Date;
  url: string;
  /** The endpoint's signing secret: used to sign, never logged. */
  secret: string;
  /** The event exactly as stored: the bytes sent and signed. */
  body: string;
}

export interface ClaimOptions {
  now: Date;
  /** Claimed deliveries are not due again before this (the attempt's lease). */
  leaseUntil: Date;
  limit: number;
  /** Endpoints that already have their share in flight here: their deliveries are skipped, not waited for. */
  saturatedEndpoints: string[];
  /** How many more this process may start per endpoint (absent: the per-endpoint maximum). */
  roomFor: (endpointId: string) => number;
}

export interface AttemptRecord {
  delivery: ClaimedDelivery;
  startedAt: Date;
  durationMs: number;
  statusCode: number | null;
  error: string | null;
  succeeded: boolean;
  /** What the delivery becomes: done, failed for good, or due again at `nextAttemptAt`. */
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  completedAt: Date | null;
}

const FOREIGN_KEY_VIOLATION = '23503';

/** SQL of `webhook_deliveries` and `webhook_delivery_attempts`. */
@Injectable()
export class DeliveriesRepository {
  /** One pending delivery per endpoint, due at once; a repeat (same event, same endpoint) adds nothing. */
  async schedule(
    tx: Queryable,
    input: { eventId: string; merchantId: string; endpointIds: string[]; dueAt: Date; retryUntil: Date },
  ): Promise<void> {
    await tx.query(
      `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, merchant_id, status, next_attempt_at, retry_until, created_at)
       SELECT id, endpoint_id, $2, $3, 'pending', $4, $5, $4 FROM unnest($1::text[], $6::text[]) AS t(endpoint_id, id)
       ON CONFLICT (endpoint_id, event_id) DO NOTHING`,
      [
        input.endpointIds,
        input.eventId,
        input.merchantId,
        input.dueAt,
        input.retryUntil,
        input.endpointIds.map(() => newDeliveryId()),
      ],
    );
    markDeliveriesScheduled(tx);
  }

  /**
   * Claims due deliveries for the worker in one short transaction: rows locked `FOR UPDATE SKIP
   * LOCKED` (another replica's claim never blocks this one), at most `roomFor(endpoint)` per
   * endpoint, deliveries of saturated endpoints not even looked at — so one slow endpoint's backlog
   * never fills the batch. Each claimed row's due time moves to the lease's end: nothing claims it
   * again while its attempt runs, and if this process dies it becomes due again after the lease.
   */
  async claim(tx: Queryable, options: ClaimOptions): Promise<ClaimedDelivery[]> {
    const candidates = rowsOf<{ id: string; endpoint_id: string }>(
      await tx.query(
        `SELECT id, endpoint_id FROM webhook_deliveries
          WHERE status = 'pending' AND next_attempt_at <= $1 AND NOT (endpoint_id = ANY($2::text[]))
          ORDER BY next_attempt_at, id
          LIMIT $3
          FOR UPDATE SKIP LOCKED`,
        [options.now, options.saturatedEndpoints, Math.min(options.limit * 4, 500)],
      ),
    );
    const taken = new Map<string, number>();
    const chosen: string[] = [];
    for (const candidate of candidates) {
      if (chosen.length >= options.limit) break;
      const count = taken.get(candidate.endpoint_id) ?? 0;
      if (count >= options.roomFor(candidate.endpoint_id)) continue;
      taken.set(candidate.endpoint_id, count + 1);
      chosen.push(candidate.id);
    }
    if (chosen.length === 0) return [];
    return rowsOf<ClaimedDelivery>(
      await tx.query(
        `UPDATE webhook_deliveries d SET next_attempt_at = $2
           FROM webhook_endpoints e, merchant_events ev
          WHERE d.id = ANY($1::text[]) AND e.id = d.endpoint_id AND ev.id = d.event_id
          RETURNING d.id, d.endpoint_id, d.merchant_id, d.event_id, ev.type AS event_type, d.attempt_count,
                    d.retry_until, e.url, e.secret, ev.payload::text AS body`,
        [chosen, options.leaseUntil],
      ),
    );
  }

  /**
   * Records one attempt and what the delivery becomes, only if the delivery is still this attempt's
   * (pending, at the attempt count it was claimed with): a delivery canceled (endpoint disabled)
   * meanwhile stays canceled. A delivery deleted meanwhile (endpoint deleted) records nothing.
   */
  async recordAttempt(tx: Queryable, record: AttemptRecord): Promise<void> {
    const attemptNo = record.delivery.attempt_count + 1;
    try {
      await tx.query(
        `INSERT INTO webhook_delivery_attempts (delivery_id, attempt_no, started_at, duration_ms, status_code, error, succeeded)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (delivery_id, attempt_no) DO NOTHING`,
        [
          record.delivery.id,
          attemptNo,
          record.startedAt,
          record.durationMs,
          record.statusCode,
          record.error,
          record.succeeded,
        ],
      );
    } catch (error) {
      if (
        (error as { driverError?: { code?: string }; code?: string }).driverError?.code ===
        FOREIGN_KEY_VIOLATION
      )
        return;
      if ((error as { code?: string }).code === FOREIGN_KEY_VIOLATION) return;
      throw error;
    }
    await tx.query(
      `UPDATE webhook_deliveries SET attempt_count = $2, status = $3, next_attempt_at = $4, completed_at = $5
        WHERE id = $1 AND status = 'pending' AND attempt_count = $6`,
      [
        record.delivery.id,
        attemptNo,
        record.status,
        record.nextAttemptAt,
        record.completedAt,
        record.delivery.attempt_count,
      ],
    );
  }

  /** An endpoint's deliveries, newest first, `limit + 1` rows, with the type of each event. */
  async listForEndpoint(
    db: Queryable,
    endpointId: string,
    limit: number,
    after?: DeliveryRow,
  ): Promise<DeliveryRow[]> {
    return rowsOf<DeliveryRow>(
      await db.query(
        `SELECT d.id, d.endpoint_id, d.event_id, ev.type AS event_type, d.status, d.attempt_count, d.next_attempt_at,
                d.created_at, d.completed_at
           FROM webhook_deliveries d JOIN merchant_events ev ON ev.id = d.event_id
          WHERE d.endpoint_id = $1 AND ($2::timestamptz IS NULL OR (d.created_at, d.id) < ($2::timestamptz, $3::text))
          ORDER BY d.created_at DESC, d.id DESC LIMIT $4`,
        [endpointId, after?.created_at ?? null, after?.id ?? null, limit + 1],
      ),
    );
  }

  async findForEndpoint(db: Queryable, endpointId: string, id: string): Promise<DeliveryRow | null> {
    const [row] = rowsOf<DeliveryRow>(
      await db.query(
        `SELECT d.id, d.endpoint_id, d.event_id, ev.type AS event_type, d.status, d.attempt_count, d.next_attempt_at,
                d.created_at, d.completed_at
           FROM webhook_deliveries d JOIN merchant_events ev ON ev.id = d.event_id
          WHERE d.endpoint_id = $1 AND d.id = $2`,
        [endpointId, id],
      ),
    );
    return row ?? null;
  }

  /** The attempts of these deliveries, newest first. */
  async attemptsOf(db: Queryable, deliveryIds: string[]): Promise<AttemptRow[]> {
    if (deliveryIds.length === 0) return [];
    return rowsOf<AttemptRow>(
      await db.query(
        `SELECT * FROM webhook_delivery_attempts WHERE delivery_id = ANY($1::text[]) ORDER BY delivery_id, attempt_no DESC`,
        [deliveryIds],
      ),
    );
  }
}
