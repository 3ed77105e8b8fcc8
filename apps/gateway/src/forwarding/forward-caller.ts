import type { IncomingHttpHeaders } from 'node:http';
import { correlationIdOf } from '@payflow/platform/observability';
import { GatewayRequest, requestIdOf } from '../auth/gateway-request';
import type { Merchant } from '../merchants/merchant';

/** Who a forwarded call is made for, as the internal headers carry it. */
export interface ForwardCaller {
  merchant?: Merchant;
  requestId?: string;
  correlationId?: string;
  idempotency?: { key: string; fingerprint: string };
  /** The incoming headers, for the trace context (`traceparent`, `tracestate`). */
  headers: IncomingHttpHeaders;
}

export function forwardCallerOf(request: GatewayRequest): ForwardCaller {
  return {
    merchant: request.merchant,
    requestId: requestIdOf(request),
    correlationId: request.id === undefined ? undefined : correlationIdOf(request),
    idempotency: request.idempotency,
    headers: request.headers,
  };
}
