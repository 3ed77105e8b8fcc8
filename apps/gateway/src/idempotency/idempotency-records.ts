/** Marks a key whose first request is still running; lives API_TIMEOUT + 5 s. */
export interface InFlightRecord {
  state: 'in_flight';
  fingerprint: string;
  /** Unique per attempt, so only the request that set the marker completes or releases it. */
  token: string;
  request_id?: string;
}

/** The answer a key replays for 24 h. */
export interface CompletedRecord {
  state: 'completed';
  fingerprint: string;
  status: number;
  body: unknown;
  /** The request that produced the answer, replayed as `Original-Request` (as Stripe does). */
  request_id?: string;
}

export type IdempotencyRecord = InFlightRecord | CompletedRecord;

/** Completed responses are kept this long (API.md: "Keys are per merchant and kept 24 h"). */
export const COMPLETED_TTL_MS = 24 * 60 * 60 * 1000;
/** The in-flight marker outlives the longest forward by this margin (DESIGN.md). */
export const IN_FLIGHT_MARGIN_MS = 5_000;

/**
 * Whether an answer is replayed to later requests with the key. Not stored, so a retry reaches the
 * service again: 5xx answers (the outcome may differ next time) and the owning service's own
 * idempotency conflicts (409 while it still runs the first request, 422) which describe a moment,
 * not a result. Gateway-side refusals (validation, timeouts) never get here: they are errors thrown
 * before or instead of an answer.
 */
export function isReplayable(status: number, body: unknown): boolean {
  if (status >= 500) return false;
  const type = (body as { error?: { type?: unknown } } | null)?.error?.type;
  return type !== 'idempotency_error';
}
