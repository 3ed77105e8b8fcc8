import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { CreateCustomerRequest, ListCustomersQuery, UpdateCustomerRequest } from '@payflow/api';
import { CustomerObject } from '@payflow/contracts';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { ListObject } from '../http/list-object';
import { Meta, RequestMeta } from '../http/request-meta';
import { CustomersService } from './customers.service';

/** The gateway's hop for `/v1/customers` (BILLING-INTERFACES). */
@Controller('internal/v1/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Post()
  @HttpCode(201)
  async create(
    @Meta() meta: RequestMeta,
    @Body() body: CreateCustomerRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerObject> {
    return send(res, await this.customers.create(meta, body));
  }

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListCustomersQuery): Promise<ListObject<CustomerObject>> {
    return this.customers.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<CustomerObject> {
    return this.customers.get(merchantId, id);
  }

  @Post(':id')
  @HttpCode(200)
  async update(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: UpdateCustomerRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<CustomerObject> {
    return send(res, await this.customers.update(meta, id, body));
  }
}
