import { Controller, Get, Param, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { ListEventsQuery } from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { forwardCallerOf } from '../forwarding/forward-caller';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, READ_ERRORS } from '../openapi/api-errors.decorator';
import { InvoiceSchema, SubscriptionSchema } from '../openapi/schemas/billing.schema';
import { PaymentIntentSchema } from '../openapi/schemas/payment-intent.schema';
import { RefundSchema } from '../openapi/schemas/refund.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { WebhooksUpstream } from '../webhook-endpoints/webhooks-upstream';
import { EventIdPipe } from './event-id.pipe';
import { EventListSchema, EventSchema } from './event.schema';

const INTERNAL = '/internal/v1/events';

/** The merchant's events of the last 30 days (API.md), read from the webhooks service. */
@ApiTags('Events')
@ApiBearerAuth('api_key')
@ApiExtraModels(PaymentIntentSchema, RefundSchema, InvoiceSchema, SubscriptionSchema)
@Controller('v1/events')
@UseGuards(ApiKeyGuard, RateLimitGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class EventsController {
  constructor(private readonly upstream: WebhooksUpstream) {}

  @Get()
  @ApiOperation({ summary: 'List events, newest first (optionally of one type)' })
  @ApiOkResponse({ type: EventListSchema })
  @ApiErrors(...READ_ERRORS)
  list(@Req() request: GatewayRequest, @Query() query: ListEventsQuery): Promise<UpstreamResponse> {
    return this.upstream.forward(
      { method: 'GET', path: INTERNAL, query: { ...query } },
      forwardCallerOf(request),
    );
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an event' })
  @ApiParam({ name: 'id', description: 'An event id (evt_…)', example: 'evt_1a2b3c4d5e6f7a8b9c0d1e2f' })
  @ApiOkResponse({ type: EventSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(@Req() request: GatewayRequest, @Param('id', EventIdPipe) id: string): Promise<UpstreamResponse> {
    return this.upstream.forward(
      { method: 'GET', path: `${INTERNAL}/${encodeURIComponent(id)}` },
      forwardCallerOf(request),
    );
  }
}
