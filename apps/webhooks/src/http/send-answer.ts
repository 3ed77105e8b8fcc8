import type { Response } from 'express';
import type { ApiAnswer } from '@payflow/platform/http';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** Sets the status (and the replay header for a stored answer) on the passthrough response; returns the body. */
export function sendAnswer<T>(response: Response, answer: ApiAnswer<T>): T {
  response.status(answer.statusCode);
  if (answer.replayed) response.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return answer.body;
}
