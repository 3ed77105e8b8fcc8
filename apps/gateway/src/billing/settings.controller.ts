import { Body, Controller, Get, HttpCode, Post, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UpdateBillingSettingsRequest, UpdateDunningSettingsRequest } from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import { BillingSettingsSchema, DunningSettingsSchema } from '../openapi/schemas/billing.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { BillingUpstream, internalPath } from './billing-upstream';

/** The merchant's invoice number prefix (billing). */
@ApiTags('Billing settings')
@ApiBearerAuth('api_key')
@Controller('v1/billing_settings')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class BillingSettingsController {
  constructor(private readonly upstream: BillingUpstream) {}

  @Get()
  @ApiOperation({ summary: "Read the merchant's billing settings" })
  @ApiOkResponse({ type: BillingSettingsSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(@Req() request: GatewayRequest): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'GET', path: internalPath('billing_settings') });
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Set the invoice number prefix (for numbers assigned from then on)' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: BillingSettingsSchema })
  @ApiErrors(...WRITE_ERRORS)
  update(
    @Req() request: GatewayRequest,
    @Body() body: UpdateBillingSettingsRequest,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('billing_settings'), body });
  }
}

/** The merchant's retry schedule and final action for failed invoice payments (dunning). */
@ApiTags('Dunning settings')
@ApiBearerAuth('api_key')
@Controller('v1/dunning_settings')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class DunningSettingsController {
  constructor(private readonly upstream: BillingUpstream) {}

  @Get()
  @ApiOperation({ summary: "Read the merchant's dunning settings (defaults until changed)" })
  @ApiOkResponse({ type: DunningSettingsSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(@Req() request: GatewayRequest): Promise<UpstreamResponse> {
    return this.upstream.dunning(request, { method: 'GET', path: internalPath('dunning_settings') });
  }

  @Post()
  @HttpCode(200)
  @ApiOperation({
    summary: 'Change the retry schedule, the final action or mark_uncollectible (fields given only)',
  })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: DunningSettingsSchema })
  @ApiErrors(...WRITE_ERRORS)
  update(
    @Req() request: GatewayRequest,
    @Body() body: UpdateDunningSettingsRequest,
  ): Promise<UpstreamResponse> {
    return this.upstream.dunning(request, { method: 'POST', path: internalPath('dunning_settings'), body });
  }
}
