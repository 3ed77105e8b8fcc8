import { Injectable } from '@nestjs/common';
import type { GatewayRequest } from '../auth/gateway-request';
import { forwardCallerOf } from '../forwarding/forward-caller';
import { ForwardRequest, UpstreamClient } from '../forwarding/upstream-client';
import { UpstreamResponse } from '../forwarding/upstream-response';

/**
 * Billing (`BILLING_URL`) and dunning (`DUNNING_URL`) behind the gateway, through the one forwarding
 * client: `/v1/<path>` goes to `/internal/v1/<path>` with the same method, query and JSON body and
 * the internal headers (merchant, request and correlation ids, Idempotency-Key and fingerprint).
 */
@Injectable()
export class BillingUpstream {
  constructor(private readonly client: UpstreamClient) {}

  billing(request: GatewayRequest, forward: ForwardRequest): Promise<UpstreamResponse> {
    return this.client.forward('billing', forward, forwardCallerOf(request));
  }

  dunning(request: GatewayRequest, forward: ForwardRequest): Promise<UpstreamResponse> {
    return this.client.forward('dunning', forward, forwardCallerOf(request));
  }
}

/** `/internal/v1/<collection>[/<id>[<action>]]`, the id encoded (it passed its pipe, so this is belt and braces). */
export function internalPath(collection: string, id?: string, action = ''): string {
  const base = `/internal/v1/${collection}`;
  return id === undefined ? base : `${base}/${encodeURIComponent(id)}${action}`;
}
