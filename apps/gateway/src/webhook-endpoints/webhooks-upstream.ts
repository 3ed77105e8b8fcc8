import { Injectable } from '@nestjs/common';
import type { ForwardCaller } from '../forwarding/forward-caller';
import { ForwardRequest, UpstreamClient } from '../forwarding/upstream-client';
import { UpstreamResponse } from '../forwarding/upstream-response';

export type WebhooksForwardRequest = ForwardRequest;

/** The webhooks service behind `/v1/webhook_endpoints` and `/v1/events`, through the one forwarding client. */
@Injectable()
export class WebhooksUpstream {
  constructor(private readonly client: UpstreamClient) {}

  forward(request: WebhooksForwardRequest, caller: ForwardCaller): Promise<UpstreamResponse> {
    return this.client.forward('webhooks', request, caller);
  }
}
