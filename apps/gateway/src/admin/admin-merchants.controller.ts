import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiError } from '@payflow/platform/http';
import { AdminKeyGuard } from '../auth/admin-key.guard';
import { GatewayRequest, requestIdOf } from '../auth/gateway-request';
import { ApiErrors, ApiIdempotencyKey } from '../openapi/api-errors.decorator';
import { CreatedMerchantSchema, MerchantWithKeysSchema } from '../openapi/schemas/merchant.schema';
import { AdminMerchantsService, CreatedMerchant, MerchantWithKeys } from './admin-merchants.service';
import { CreateMerchantRequest } from './create-merchant.request';

const MERCHANT_ID = /^mer_[A-Za-z0-9]{1,64}$/;

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
    return this.merchants.create(body, { actor: request.admin!.actor, requestId: requestIdOf(request) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve a merchant, its fee schedule and its API keys (prefixes only)' })
  @ApiParam({ name: 'id', example: 'mer_8Hq2kLm3Np4Qr5St' })
  @ApiOkResponse({ type: MerchantWithKeysSchema })
  @ApiErrors(401, 404)
  retrieve(@Req() request: GatewayRequest, @Param('id') id: string): Promise<MerchantWithKeys> {
    if (!MERCHANT_ID.test(id)) throw ApiError.missing('merchant', id.slice(0, 80));
    return this.merchants.retrieve(id, { actor: request.admin!.actor, requestId: requestIdOf(request) });
  }
}
