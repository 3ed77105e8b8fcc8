import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Req,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AdvanceTestClockRequest, CreateTestClockRequest } from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import { DeletedTestClockSchema, TestClockSchema } from '../openapi/schemas/billing.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { TestClockIdPipe } from './billing-id.pipe';
import { BillingUpstream, internalPath } from './billing-upstream';

const ID_PARAM = {
  name: 'id',
  description: 'A test clock id (clock_…)',
  example: 'clock_1a2b3c4d5e6f7a8b9c0d1e2f',
};

/** Test clocks: rehearse billing through time for the customers created on them (billing's saga). */
@ApiTags('Test clocks')
@ApiBearerAuth('api_key')
@Controller('v1/test_clocks')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class TestClocksController {
  constructor(private readonly upstream: BillingUpstream) {}

  @Post()
  @ApiOperation({ summary: 'Create a test clock frozen at `frozen_time`' })
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, description: 'The clock, `ready`', type: TestClockSchema })
  @ApiErrors(...WRITE_ERRORS)
  create(@Req() request: GatewayRequest, @Body() body: CreateTestClockRequest): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('test_clocks'), body });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a test clock (`advancing` until every step of an advance is done)' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: TestClockSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(
    @Req() request: GatewayRequest,
    @Param('id', TestClockIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'GET', path: internalPath('test_clocks', id) });
  }

  @Post(':id/advance')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Advance a test clock to a later `frozen_time`',
    description:
      'Every period crossed gets its invoice and every payment and dunning retry on the way happens in order; the clock is `advancing` until then (409 for another advance meanwhile).',
  })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: TestClockSchema })
  @ApiErrors(...WRITE_ERRORS)
  advance(
    @Req() request: GatewayRequest,
    @Param('id', TestClockIdPipe) id: string,
    @Body() body: AdvanceTestClockRequest,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'POST',
      path: internalPath('test_clocks', id, '/advance'),
      body,
    });
  }

  @Delete(':id')
  @ApiOperation({
    summary: "Delete a test clock; its customers' subscriptions are canceled, their invoices kept",
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: DeletedTestClockSchema })
  @ApiErrors(...READ_ERRORS)
  remove(
    @Req() request: GatewayRequest,
    @Param('id', TestClockIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'DELETE', path: internalPath('test_clocks', id) });
  }
}
