export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
}

export interface AttemptRow {
  delivery_id: string;
  attempt_no: number;
  started_at: Date;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  succeeded: boolean;
}

/** One HTTP attempt, as the merchant sees it. */
export interface DeliveryAttemptObject {
  attempt: number;
  started: string;
  duration_ms: number;
  status_code: number | null;
  error: string | null;
  outcome: 'succeeded' | 'failed';
}

/** `GET /v1/webhook_endpoints/{id}/deliveries`: one event's delivery to the endpoint, with every attempt, newest first. */
export interface WebhookDeliveryObject {
  id: string;
  object: 'webhook_delivery';
  endpoint: string;
  event: string;
  event_type: string;
  status: DeliveryStatus;
  attempt_count: number;
  /** When the next attempt is due (pending deliveries only). */
  next_attempt: string | null;
  created: string;
  completed: string | null;
  attempts: DeliveryAttemptObject[];
}

const iso = (value: Date | null) => (value === null ? null : new Date(value).toISOString());

export function toDeliveryObject(row: DeliveryRow, attempts: AttemptRow[]): WebhookDeliveryObject {
  return {
    id: row.id,
    object: 'webhook_delivery',
    endpoint: row.endpoint_id,
    event: row.event_id,
    event_type: row.event_type,
    status: row.status,
    attempt_count: row.attempt_count,
    next_attempt: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    created: new Date(row.created_at).toISOString(),
    completed: iso(row.completed_at),
    attempts: attempts.map((a) => ({
      attempt: a.attempt_no,
      started: new Date(a.started_at).toISOString(),
      duration_ms: a.duration_ms,
      status_code: a.status_code,
      error: a.error,
      outcome: a.succeeded ? 'succeeded' : 'failed',
    })),
  };
}
