import {
  Body,
  Controller,
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
  CancelSubscriptionRequest,
  CreateSubscriptionRequest,
  ListSubscriptionsQuery,
  UpdateSubscriptionRequest,
} from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import { SubscriptionListSchema, SubscriptionSchema } from '../openapi/schemas/billing.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { SubscriptionIdPipe } from './billing-id.pipe';
import { BillingUpstream, internalPath } from './billing-upstream';

const ID_PARAM = {
  name: 'id',
  description: 'A subscription id (sub_…)',
  example: 'sub_1a2b3c4d5e6f7a8b9c0d1e2f',
};

/** Billing's subscriptions: created, changed (with prorations) and canceled here, billed by billing. */
@ApiTags('Subscriptions')
@ApiBearerAuth('api_key')
@Controller('v1/subscriptions')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class SubscriptionsController {
  constructor(private readonly upstream: BillingUpstream) {}

  @Post()
  @ApiOperation({
    summary: 'Create a subscription',
    description:
      'Without a trial the first invoice is finalized at once and its payment requested; the answer is the subscription as it stands (`incomplete` until that invoice is paid).',
  })
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, description: 'The subscription', type: SubscriptionSchema })
  @ApiErrors(...WRITE_ERRORS)
  create(@Req() request: GatewayRequest, @Body() body: CreateSubscriptionRequest): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('subscriptions'), body });
  }

  @Get()
  @ApiOperation({ summary: 'List subscriptions, newest first (optionally of one customer or status)' })
  @ApiOkResponse({ type: SubscriptionListSchema })
  @ApiErrors(...READ_ERRORS)
  list(@Req() request: GatewayRequest, @Query() query: ListSubscriptionsQuery): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'GET',
      path: internalPath('subscriptions'),
      query: { ...query },
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a subscription' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: SubscriptionSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(
    @Req() request: GatewayRequest,
    @Param('id', SubscriptionIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'GET', path: internalPath('subscriptions', id) });
  }

  @Post(':id')
  @HttpCode(200)
  @ApiOperation({
    summary: "Change a subscription's items (with prorations) or its cancellation at period end",
    description:
      '`items` replaces the items. `proration_behavior`: `create_prorations` (default, on the next invoice), `always_invoice` (invoiced and charged now) or `none`.',
  })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: SubscriptionSchema })
  @ApiErrors(...WRITE_ERRORS)
  update(
    @Req() request: GatewayRequest,
    @Param('id', SubscriptionIdPipe) id: string,
    @Body() body: UpdateSubscriptionRequest,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('subscriptions', id), body });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a subscription now or at the end of its period' })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: SubscriptionSchema })
  @ApiErrors(...WRITE_ERRORS)
  cancel(
    @Req() request: GatewayRequest,
    @Param('id', SubscriptionIdPipe) id: string,
    @Body() body: CancelSubscriptionRequest,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'POST',
      path: internalPath('subscriptions', id, '/cancel'),
      body,
    });
  }
}
