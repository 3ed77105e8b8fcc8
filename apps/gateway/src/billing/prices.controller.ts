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
import { CreatePriceRequest, ListPricesQuery, UpdatePriceRequest } from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import { PriceListSchema, PriceSchema } from '../openapi/schemas/billing.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { PriceIdPipe } from './billing-id.pipe';
import { BillingUpstream, internalPath } from './billing-upstream';

const ID_PARAM = {
  name: 'id',
  description: 'A price id (price_…)',
  example: 'price_1a2b3c4d5e6f7a8b9c0d1e2f',
};

/** Billing's recurring prices, immutable but for `nickname` and `active`. */
@ApiTags('Prices')
@ApiBearerAuth('api_key')
@Controller('v1/prices')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class PricesController {
  constructor(private readonly upstream: BillingUpstream) {}

  @Post()
  @ApiOperation({ summary: 'Create a recurring price' })
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, description: 'The price', type: PriceSchema })
  @ApiErrors(...WRITE_ERRORS)
  create(@Req() request: GatewayRequest, @Body() body: CreatePriceRequest): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('prices'), body });
  }

  @Get()
  @ApiOperation({ summary: 'List prices, newest first' })
  @ApiOkResponse({ type: PriceListSchema })
  @ApiErrors(...READ_ERRORS)
  list(@Req() request: GatewayRequest, @Query() query: ListPricesQuery): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'GET',
      path: internalPath('prices'),
      query: { ...query },
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a price' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: PriceSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(@Req() request: GatewayRequest, @Param('id', PriceIdPipe) id: string): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'GET', path: internalPath('prices', id) });
  }

  @Post(':id')
  @HttpCode(200)
  @ApiOperation({ summary: "Update a price's nickname or active flag" })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: PriceSchema })
  @ApiErrors(...WRITE_ERRORS)
  update(
    @Req() request: GatewayRequest,
    @Param('id', PriceIdPipe) id: string,
    @Body() body: UpdatePriceRequest,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('prices', id), body });
  }
}
