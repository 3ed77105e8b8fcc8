import type { Response } from 'express';
import type { ApiAnswer } from '@payflow/platform/http';

export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** Sets the status (and the replay header for a stored answer) on the passthrough response; returns the body. */
export function send<T>(res: Response, answer: ApiAnswer<T>): T {
  res.status(answer.statusCode);
  if (answer.replayed) res.setHeader(IDEMPOTENT_REPLAYED_HEADER, 'true');
  return answer.body;
}
