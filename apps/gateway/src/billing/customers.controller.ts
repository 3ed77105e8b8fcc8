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
import { CreateCustomerRequest, ListCustomersQuery, UpdateCustomerRequest } from '@payflow/api';
import { ApiKeyGuard } from '../auth/api-key.guard';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantIsolationGuard } from '../auth/merchant-isolation.guard';
import { UpstreamResponse } from '../forwarding/upstream-response';
import { UpstreamResponseInterceptor } from '../forwarding/upstream-response.interceptor';
import { ApiErrors, ApiIdempotencyKey, READ_ERRORS, WRITE_ERRORS } from '../openapi/api-errors.decorator';
import { CustomerListSchema, CustomerSchema } from '../openapi/schemas/billing.schema';
import { RateLimitGuard } from '../rate-limit/rate-limit.guard';
import { CustomerIdPipe } from './billing-id.pipe';
import { BillingUpstream, internalPath } from './billing-upstream';

const ID_PARAM = {
  name: 'id',
  description: 'A customer id (cus_…)',
  example: 'cus_1a2b3c4d5e6f7a8b9c0d1e2f',
};

/** Billing's customers (API.md, "Subscriptions and invoices"), validated here and forwarded to billing. */
@ApiTags('Customers')
@ApiBearerAuth('api_key')
@Controller('v1/customers')
@UseGuards(ApiKeyGuard, RateLimitGuard, MerchantIsolationGuard)
@UseInterceptors(UpstreamResponseInterceptor)
export class CustomersController {
  constructor(private readonly upstream: BillingUpstream) {}

  @Post()
  @ApiOperation({ summary: 'Create a customer (optionally on a test clock)' })
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, description: 'The customer', type: CustomerSchema })
  @ApiErrors(...WRITE_ERRORS)
  create(@Req() request: GatewayRequest, @Body() body: CreateCustomerRequest): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('customers'), body });
  }

  @Get()
  @ApiOperation({ summary: 'List customers, newest first' })
  @ApiOkResponse({ type: CustomerListSchema })
  @ApiErrors(...READ_ERRORS)
  list(@Req() request: GatewayRequest, @Query() query: ListCustomersQuery): Promise<UpstreamResponse> {
    return this.upstream.billing(request, {
      method: 'GET',
      path: internalPath('customers'),
      query: { ...query },
    });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a customer' })
  @ApiParam(ID_PARAM)
  @ApiOkResponse({ type: CustomerSchema })
  @ApiErrors(...READ_ERRORS)
  retrieve(
    @Req() request: GatewayRequest,
    @Param('id', CustomerIdPipe) id: string,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'GET', path: internalPath('customers', id) });
  }

  @Post(':id')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Update a customer',
    description: "A new `payment_method` makes dunning try the customer's past-due invoices again at once.",
  })
  @ApiParam(ID_PARAM)
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: CustomerSchema })
  @ApiErrors(...WRITE_ERRORS)
  update(
    @Req() request: GatewayRequest,
    @Param('id', CustomerIdPipe) id: string,
    @Body() body: UpdateCustomerRequest,
  ): Promise<UpstreamResponse> {
    return this.upstream.billing(request, { method: 'POST', path: internalPath('customers', id), body });
  }
}
