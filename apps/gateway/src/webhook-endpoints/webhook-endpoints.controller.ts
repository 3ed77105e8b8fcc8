import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateWebhookEndpointRequest,
  ListWebhookDeliveriesQuery,
  ListWebhookEndpointsQuery,
  UpdateWebhookEndpointRequest,
} from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { forwardCallerOf } from '../forwarding/forward-caller';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { WebhookEndpointIdPipe } from './webhook-endpoint-id.pipe';
import {
  DeletedWebhookEndpointSchema,
  WebhookDeliveryListSchema,
  WebhookEndpointListSchema,
  WebhookEndpointSchema,
  WebhookEndpointWithSecretSchema,
} from './webhook-endpoint.schema';
import { WebhooksForwardRequest, WebhooksUpstream } from './webhooks-upstream';

const INTERNAL = '/internal/v1/webhook_endpoints';
const endpointPath = (id: string, action = '') => `${INTERNAL}/${encodeURIComponent(id)}${action}`;
const ID_PARAM = {
  name: 'id',
  description: 'A webhook endpoint id (we_…)',
  example: 'we_1a2b3c4d5e6f7a8b9c0d1e2f',
};

/**
 * The merchant webhook endpoint routes of API.md. Authenticated, rate-limited, isolated and
 * validated here (with @payflow/api's DTOs), forwarded to the webhooks service, which owns them.
 */
@ApiTags('Webhook endpoints')
@ApiBearerAuth('api_key')
@Controller('v1/webhook_endpoints')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class WebhookEndpointsController {
  constructor(private readonly upstream: WebhooksUpstream) {}

  @Post()
  @ApiOperation({
    summary: 'Create a webhook endpoint',
    description:
      'The URL must be https and resolve only to public addresses. The answer is the only one that shows the signing `secret`.',
  })
  @ApiIdempotencyKey()
  @ApiResponse({
    status: 201,
    description: 'The endpoint, with its signing secret',
    type: WebhookEndpointWithSecretSchema,
  })
  @ApiErrors(...WRITE_ERRORS)
  create(
    @Req() request: GatewayRequest,
    @Body() body: CreateWebhookEndpointRequest,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'POST', path: INTERNAL, body });
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints, newest first' })
  @ApiOkResponse({ type: WebhookEndpointListSchema })
  @ApiErrors(...READ_ERRORS)
  list(@Req() request: GatewayRequest, @Query() query: ListWebhookEndpointsQuery): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'GET', path: INTERNAL, query: { ...query } });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a webhook endpoint' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: WebhookEndpointSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(
    @Req() request: GatewayRequest,
    @Param('id', WebhookEndpointIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'GET', path: endpointPath(id) });
  }

  @Post(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Update a webhook endpoint (url, enabled_events, disabled, description)' })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: WebhookEndpointSchema })
  @ApiErrors(...WRITE_ERRORS)
  update(
    @Req() request: GatewayRequest,
    @Param('id', WebhookEndpointIdPipe) id: string,
    @Body() body: UpdateWebhookEndpointRequest,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'POST', path: endpointPath(id), body });
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete a webhook endpoint (nothing more is sent to it)' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: DeletedWebhookEndpointSchema })
  @ApiErrors(...READ_ERRORS)
  remove(
    @Req() request: GatewayRequest,
    @Param('id', WebhookEndpointIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'DELETE', path: endpointPath(id) });
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "List an endpoint's deliveries with every attempt and its outcome, newest first" })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: WebhookDeliveryListSchema })
  @ApiErrors(...READ_ERRORS)
  deliveries(
    @Req() request: GatewayRequest,
    @Param('id', WebhookEndpointIdPipe) id: string,
    @Query() query: ListWebhookDeliveriesQuery,
  ): Promise<UpstreamResponse> {
    return this.forward(request, {
      method: 'GET',
      path: endpointPath(id, '/deliveries'),
      query: { ...query },
    });
  }

  private forward(request: GatewayRequest, forward: WebhooksForwardRequest): Promise<UpstreamResponse> {
    return this.upstream.forward(forward, forwardCallerOf(request));
  }
}
