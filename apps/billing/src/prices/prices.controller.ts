import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CreatePriceRequest, ListPricesQuery, UpdatePriceRequest } from '@payflow/api';
import { PriceObject } from '@payflow/contracts';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { ListObject } from '../http/list-object';
import { Meta, RequestMeta } from '../http/request-meta';
import { PricesService } from './prices.service';

/** The gateway's hop for `/v1/prices` (BILLING-INTERFACES). */
@Controller('internal/v1/prices')
export class PricesController {
  constructor(private readonly prices: PricesService) {}

  @Post()
  @HttpCode(201)
  async create(
    @Meta() meta: RequestMeta,
    @Body() body: CreatePriceRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PriceObject> {
    return send(res, await this.prices.create(meta, body));
  }

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListPricesQuery): Promise<ListObject<PriceObject>> {
    return this.prices.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<PriceObject> {
    return this.prices.get(merchantId, id);
  }

  @Post(':id')
  @HttpCode(200)
  async update(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: UpdatePriceRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PriceObject> {
    return send(res, await this.prices.update(meta, id, body));
  }
}
