import type { IncomingMessage } from 'node:http';
import type { Options } from 'pino-http';
import { createLoggerOptions } from './logger-options';
import { assignRequestId, correlationIdOf } from './request-ids';

/** Probed every few seconds by Kubernetes and Prometheus: logging them would drown real traffic. */
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function isProbe(req: IncomingMessage): boolean {
  // Express keeps the path as received in `originalUrl`; `url` may be rewritten by routers.
  const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url ?? '';
  return UNLOGGED_PATHS.has(url.split('?', 1)[0]);
}

/** pino-http options for a service: request and correlation ids on every line logged in a request. */
export function createHttpLoggerOptions(service: string, level: string): Options {
  return {
    ...createLoggerOptions(service, level),
    genReqId: assignRequestId,
    customProps: (req) => ({ request_id: req.id, correlation_id: correlationIdOf(req) }),
    autoLogging: { ignore: isProbe },
  };
}
