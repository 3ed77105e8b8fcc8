import { Body, Controller, Get, Param, Post, Query, Req, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  CreatePaymentIntentRequest,
  ListPaymentIntentsQuery,
  RefundRequest,
} from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { forwardCallerOf } from '../forwarding/forward-caller';
import { ForwardRequest, UpstreamClient } from '../forwarding/upstream-client';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import { PaymentIntentListSchema, PaymentIntentSchema } from '../openapi/schemas/payment-intent.schema';
import { RefundListSchema, RefundSchema } from '../openapi/schemas/refund.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { PaymentIntentIdPipe } from './payment-intent-id.pipe';

const INTERNAL = '/internal/v1/payment_intents';
const intentPath = (id: string, action = '') => `${INTERNAL}/${encodeURIComponent(id)}${action}`;
const ID_PARAM = {
  name: 'id',
  description: 'A payment intent id (pi_…)',
  example: 'pi_3f9a1c0b2d4e6f8a0b1c2d3e',
};

/**
 * The public payment intent and refund routes of API.md. The gateway authenticates, rate-limits,
 * isolates, validates (with @payflow/api's DTOs) and forwards to intents; it holds no payment state.
 */
@ApiTags('Payment intents')
@ApiBearerAuth('api_key')
@Controller('v1/payment_intents')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class PaymentIntentsController {
  constructor(private readonly upstream: UpstreamClient) {}

  @Post()
  @ApiOperation({ summary: 'Create a payment intent' })
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, description: 'The intent, `created`', type: PaymentIntentSchema })
  @ApiErrors(...WRITE_ERRORS)
  create(
    @Req() request: GatewayRequest,
    @Body() body: CreatePaymentIntentRequest,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'POST', path: INTERNAL, body });
  }

  @Get()
  @ApiOperation({ summary: 'List payment intents, newest first' })
  @ApiOkResponse({ type: PaymentIntentListSchema })
  @ApiErrors(...READ_ERRORS)
  list(@Req() request: GatewayRequest, @Query() query: ListPaymentIntentsQuery): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'GET', path: INTERNAL, query: { ...query } });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a payment intent' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: PaymentIntentSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(
    @Req() request: GatewayRequest,
    @Param('id', PaymentIntentIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'GET', path: intentPath(id) });
  }

  @Post(':id/authorize')
  @ApiOperation({ summary: 'Authorize a payment intent with the PSP' })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiResponse({
    status: 200,
    description:
      'The PSP answered: `authorized` (`captured` with automatic capture) or `failed` with `last_error`',
    type: PaymentIntentSchema,
  })
  @ApiResponse({
    status: 202,
    description: 'No PSP answer within SYNC_WAIT_MS: `authorizing`',
    type: PaymentIntentSchema,
  })
  @ApiErrors(...WRITE_ERRORS)
  authorize(
    @Req() request: GatewayRequest,
    @Param('id', PaymentIntentIdPipe) id: string,
    @Body() body: AuthorizeRequest,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'POST', path: intentPath(id, '/authorize'), body });
  }

  @Post(':id/capture')
  @ApiOperation({ summary: 'Capture an authorized payment intent (all or part of it)' })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiResponse({ status: 200, description: 'The intent, `captured`', type: PaymentIntentSchema })
  @ApiResponse({
    status: 202,
    description: 'No PSP answer within SYNC_WAIT_MS: `capturing`',
    type: PaymentIntentSchema,
  })
  @ApiErrors(...WRITE_ERRORS)
  capture(
    @Req() request: GatewayRequest,
    @Param('id', PaymentIntentIdPipe) id: string,
    @Body() body: CaptureRequest,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'POST', path: intentPath(id, '/capture'), body });
  }

  @Post(':id/cancel')
  @ApiOperation({ summary: 'Cancel a payment intent (voids an authorization)' })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiResponse({ status: 200, description: 'The intent, `canceled`', type: PaymentIntentSchema })
  @ApiResponse({
    status: 202,
    description: 'No PSP answer within SYNC_WAIT_MS: `canceling`',
    type: PaymentIntentSchema,
  })
  @ApiErrors(...WRITE_ERRORS)
  cancel(
    @Req() request: GatewayRequest,
    @Param('id', PaymentIntentIdPipe) id: string,
    @Body() body: CancelRequest,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'POST', path: intentPath(id, '/cancel'), body });
  }

  @Post(':id/refund')
  @ApiOperation({ summary: 'Refund a captured payment intent (all or part of what is left)' })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiResponse({
    status: 200,
    description: 'The refund, `pending` until the PSP settles it',
    type: RefundSchema,
  })
  @ApiErrors(...WRITE_ERRORS)
  refund(
    @Req() request: GatewayRequest,
    @Param('id', PaymentIntentIdPipe) id: string,
    @Body() body: RefundRequest,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'POST', path: intentPath(id, '/refund'), body });
  }

  @Get(':id/refunds')
  @ApiOperation({ summary: "List a payment intent's refunds" })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: RefundListSchema })
  @ApiErrors(...READ_ERRORS)
  refunds(
    @Req() request: GatewayRequest,
    @Param('id', PaymentIntentIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.forward(request, { method: 'GET', path: intentPath(id, '/refunds') });
  }

  private forward(request: GatewayRequest, forward: ForwardRequest): Promise<UpstreamResponse> {
    return this.upstream.forward('intents', forward, forwardCallerOf(request));
  }
}
