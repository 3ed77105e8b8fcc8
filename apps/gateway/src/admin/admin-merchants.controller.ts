import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@payflow/platform/http';
import { correlationIdOf } from '@payflow/platform/observability';
import { AdminKeyGuard } from '../auth/admin-key.guard';
import { GatewayRequest, requestIdOf } from '../auth/gateway-request';
import { ApiErrors, ApiIdempotencyKey } from '../openapi/api-errors.decorator';
import {
  CreatedMerchantSchema,
  MerchantSchema,
  MerchantWithKeysSchema,
} from '../openapi/schemas/merchant.schema';
import { Actor, AdminMerchantsService, CreatedMerchant, MerchantWithKeys } from './admin-merchants.service';
import { MerchantObject } from '../merchants/merchant';
import { CreateMerchantRequest } from './create-merchant.request';
import { UpdateMerchantRequest } from './update-merchant.request';

const MERCHANT_ID = /^mer_[A-Za-z0-9]{1,64}$/;

function actorOf(request: GatewayRequest): Actor {
  return {
    actor: request.admin!.actor,
    requestId: requestIdOf(request),
    correlationId: request.id === undefined ? undefined : correlationIdOf(request),
  };
}

/** Operators onboard merchants with the admin key; every call is written to the audit log. */
@ApiTags('Admin')
@ApiBearerAuth('admin_key')
@Controller('admin/merchants')
@UseGuards(AdminKeyGuard)
export class AdminMerchantsController {
  constructor(private readonly merchants: AdminMerchantsService) {}

  @Post()
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create a merchant with its fee schedule and first API key (shown only in this answer)',
  })
  @ApiIdempotencyKey()
  @ApiResponse({ status: 201, type: CreatedMerchantSchema })
  @ApiErrors(400, 401, 409, 413, 422)
  create(@Req() request: GatewayRequest, @Body() body: CreateMerchantRequest): Promise<CreatedMerchant> {
    return this.merchants.create(body, actorOf(request));
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a merchant, its fee schedule and its API keys (prefixes only)' })
  @ApiParam({ name: 'id', example: 'mer_8Hq2kLm3Np4Qr5St' })
  @ApiOkResponse({ type: MerchantWithKeysSchema })
  @ApiErrors(401, 404)
  retrieve(@Req() request: GatewayRequest, @Param('id') id: string): Promise<MerchantWithKeys> {
    if (!MERCHANT_ID.test(id)) throw ApiError.missing('merchant', id.slice(0, 80));
    return this.merchants.retrieve(id, actorOf(request));
  }

  @Post(':id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: "Change a merchant's name or fee schedule (for payments from then on)",
    description:
      'Only the fields given change; `fee_fixed: null` returns to the default fixed fees. Publishes `merchant.updated` and writes the audit log.',
  })
  @ApiParam({ name: 'id', example: 'mer_8Hq2kLm3Np4Qr5St' })
  @ApiIdempotencyKey()
  @ApiOkResponse({ type: MerchantSchema })
  @ApiErrors(400, 401, 404, 409, 413, 422)
  update(
    @Req() request: GatewayRequest,
    @Param('id') id: string,
    @Body() body: UpdateMerchantRequest,
  ): Promise<MerchantObject> {
    if (!MERCHANT_ID.test(id)) throw ApiError.missing('merchant', id.slice(0, 80));
    return this.merchants.update(id, body, actorOf(request));
  }
}
