import type { Response } from 'express';

/** A status and body as the service answers them, stored whole for idempotent replays. */
export interface ApiResponse<T = unknown> {
  statusCode: number;
  body: T;
  /** True when this is a stored answer to an earlier request with the same Idempotency-Key. */
  replayed?: boolean;
}

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

function isErrorBody(body: unknown): body is { error: Record<string, unknown> } {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'object';
}

/** Sets status and replay header on the (passthrough) response and returns the body to send. */
export function send<T>(res: Response, response: ApiResponse<T>): T {
  res.status(response.statusCode);
  if (!response.replayed) return response.body;
  res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  // A replayed error is the stored one, under this request's id like every error the filter sends.
  const requestId = (res.req as { id?: unknown } | undefined)?.id;
  if (isErrorBody(response.body) && requestId !== undefined) {
    return { ...response.body, error: { ...response.body.error, request_id: String(requestId) } } as T;
  }
  return response.body;
}
