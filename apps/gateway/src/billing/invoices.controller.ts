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
import {
  ApiBearerAuth,
  ApiBody,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import { ListInvoicesQuery, flattenUpcomingInvoiceQuery, type UpcomingInvoiceQuery } from '@payflow/api';
import { PRORATION_BEHAVIORS } from '@payflow/contracts';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import {
  InvoiceListSchema,
  InvoiceSchema,
  PaymentAttemptListSchema,
} from '../openapi/schemas/billing.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { InvoiceIdPipe } from './billing-id.pipe';
import { BillingUpstream, internalPath } from './billing-upstream';
import { EmptyBodyPipe } from './empty-body.pipe';
import { UpcomingInvoiceQueryPipe } from './upcoming-invoice-query.pipe';

const ID_PARAM = { name: 'id', description: 'An invoice id (in_…)', example: 'in_1a2b3c4d5e6f7a8b9c0d1e2f' };
const NO_BODY = { required: false, schema: { type: 'object', additionalProperties: false } } as const;

/**
 * Invoices are billing's, derived from subscriptions; merchants read them and act on open ones.
 * `payment_attempts` is the dunning service's record of each attempt, served from there.
 */
@ApiTags('Invoices')
@ApiBearerAuth('api_key')
@Controller('v1/invoices')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class InvoicesController {
  constructor(private readonly upstream: BillingUpstream) {}

  @Get()
  @ApiOperation({
    summary: 'List invoices, newest first (optionally of one customer, subscription or status)',
  })
  @ApiOkResponse({ type: InvoiceListSchema })
  @ApiErrors(...READ_ERRORS)
  list(@Req() request: GatewayRequest, @Query() query: ListInvoicesQuery): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'GET',
      path: internalPath('invoices'),
      query: { ...query },
    });
  }

  // Declared before `:id`, though `upcoming` could never pass the invoice id pipe anyway.
  @Get('upcoming')
  @ApiOperation({
    summary: "Preview a subscription's next invoice (writes nothing)",
    description:
      'With `subscription_items[i][price]` / `[quantity]`, as if the items were replaced by these at `proration_date` (default now); the same change made with the same `proration_date` produces exactly these lines.',
  })
  @ApiQuery({ name: 'subscription', required: true, example: 'sub_1a2b3c4d5e6f7a8b9c0d1e2f' })
  @ApiQuery({
    name: 'subscription_items[0][price]',
    required: false,
    example: 'price_1a2b3c4d5e6f7a8b9c0d1e2f',
  })
  @ApiQuery({
    name: 'subscription_items[0][quantity]',
    required: false,
    schema: { type: 'integer', minimum: 1 },
  })
  @ApiQuery({ name: 'proration_behavior', required: false, enum: PRORATION_BEHAVIORS })
  @ApiQuery({
    name: 'proration_date',
    required: false,
    schema: { type: 'integer' },
    description: 'Unix seconds',
  })
  @ApiOkResponse({ type: InvoiceSchema })
  @ApiErrors(...READ_ERRORS)
  upcoming(
    @Req() request: GatewayRequest,
    // A plain object type, so the global pipe leaves the raw query to UpcomingInvoiceQueryPipe.
    @Query(UpcomingInvoiceQueryPipe) query: Record<string, unknown>,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'GET',
      path: `${internalPath('invoices')}/upcoming`,
      query: flattenUpcomingInvoiceQuery(query as unknown as UpcomingInvoiceQuery),
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an invoice with its lines' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: InvoiceSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(
    @Req() request: GatewayRequest,
    @Param('id', InvoiceIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'GET', path: internalPath('invoices', id) });
  }

  @Post(':id/pay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Try to collect an open invoice now' })
  @ApiParam(ID_PARAM)
  @ApiBody(NO_BODY)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: InvoiceSchema })
  @ApiErrors(...WRITE_ERRORS)
  pay(
    @Req() request: GatewayRequest,
    @Param('id', InvoiceIdPipe) id: string,
    @Body(EmptyBodyPipe) body: Record<string, never>,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'POST',
      path: internalPath('invoices', id, '/pay'),
      body,
    });
  }

  @Post(':id/void')
  @HttpCode(200)
  @ApiOperation({ summary: 'Void an open invoice' })
  @ApiParam(ID_PARAM)
  @ApiBody(NO_BODY)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: InvoiceSchema })
  @ApiErrors(...WRITE_ERRORS)
  void(
    @Req() request: GatewayRequest,
    @Param('id', InvoiceIdPipe) id: string,
    @Body(EmptyBodyPipe) body: Record<string, never>,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'POST',
      path: internalPath('invoices', id, '/void'),
      body,
    });
  }

  @Post(':id/mark_uncollectible')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark an open invoice uncollectible' })
  @ApiParam(ID_PARAM)
  @ApiBody(NO_BODY)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: InvoiceSchema })
  @ApiErrors(...WRITE_ERRORS)
  markUncollectible(
    @Req() request: GatewayRequest,
    @Param('id', InvoiceIdPipe) id: string,
    @Body(EmptyBodyPipe) body: Record<string, never>,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'POST',
      path: internalPath('invoices', id, '/mark_uncollectible'),
      body,
    });
  }

  @Get(':id/payment_attempts')
  @ApiOperation({
    summary: "List an invoice's payment attempts with each decline and dunning decision (dunning service)",
  })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: PaymentAttemptListSchema })
  @ApiErrors(...READ_ERRORS)
  paymentAttempts(
    @Req() request: GatewayRequest,
    @Param('id', InvoiceIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.upstream.dunning(request, {
      method: 'GET',
      path: internalPath('invoices', id, '/payment_attempts'),
    });
  }
}
