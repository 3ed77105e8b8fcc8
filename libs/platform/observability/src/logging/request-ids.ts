import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';
export const CORRELATION_ID_HEADER = 'x-correlation-id';
/** Echoed on every response, named as Stripe names it, so a merchant can quote it to support. */
export const RESPONSE_REQUEST_ID_HEADER = 'Request-Id';

/**
 * Ids taken from a caller are logged and echoed in a header, so only short, plain tokens are trusted:
 * anything else (newlines, quotes, kilobytes) could forge log lines or break the response header.
 */
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function safeHeader(req: IncomingMessage, name: string): string | undefined {
  const raw = req.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value !== undefined && SAFE_ID.test(value) ? value : undefined;
}

/**
 * pino-http's `genReqId`: keeps the id a caller sent (the gateway forwards its own to the services it
 * calls, so one id spans the hop) or makes a new `req_<uuid>`, and echoes it in `Request-Id`.
 */
export function assignRequestId(req: IncomingMessage, res: ServerResponse): string {
  const id = safeHeader(req, REQUEST_ID_HEADER) ?? `req_${randomUUID()}`;
  res.setHeader(RESPONSE_REQUEST_ID_HEADER, id);
  return id;
}

/** The correlation id a caller sent, else the request's own id (the request starts the chain). */
export function correlationIdOf(req: IncomingMessage): string {
  return safeHeader(req, CORRELATION_ID_HEADER) ?? String(req.id);
}
