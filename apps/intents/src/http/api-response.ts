import type { Response } from 'express';
import type { ApiAnswer } from '@payflow/platform/http';

/** A status and body as the service answers them, stored whole for idempotent replays. */
export type ApiResponse<T = unknown> = ApiAnswer<T>;

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
