/**
 * Why a write happened, recorded in the history and carried into events as correlation and
 * causation ids: a request of the gateway, an orchestrator event, or the service's own scheduler.
 */
export type Cause =
  | { kind: 'request'; requestId: string; correlationId: string }
  | { kind: 'event'; eventId: string; correlationId: string | null }
  | { kind: 'scheduler'; name: string };

export function causationIdOf(cause: Cause): string | null {
  if (cause.kind === 'request') return cause.requestId;
  if (cause.kind === 'event') return cause.eventId;
  return null;
}

export function correlationIdOf(cause: Cause): string | null {
  return cause.kind === 'scheduler' ? null : cause.correlationId;
}

/** The cause of a gateway request's writes. */
export function requestCause(meta: { requestId: string; correlationId: string }): Cause {
  return { kind: 'request', requestId: meta.requestId, correlationId: meta.correlationId };
}
