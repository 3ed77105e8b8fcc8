import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  CancelSubscriptionRequest,
  CreateSubscriptionRequest,
  ListSubscriptionsQuery,
  UpdateSubscriptionRequest,
} from '@payflow/api';
import { SubscriptionObject } from '@payflow/contracts';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { ListObject } from '../http/list-object';
import { Meta, RequestMeta } from '../http/request-meta';
import { SubscriptionsService } from './subscriptions.service';

/** The gateway's hop for `/v1/subscriptions` (BILLING-INTERFACES). */
@Controller('internal/v1/subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  @Post()
  @HttpCode(201)
  async create(
    @Meta() meta: RequestMeta,
    @Body() body: CreateSubscriptionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubscriptionObject> {
    return send(res, await this.subscriptions.create(meta, body));
  }

  @Get()
  list(
    @MerchantId() merchantId: string,
    @Query() query: ListSubscriptionsQuery,
  ): Promise<ListObject<SubscriptionObject>> {
    return this.subscriptions.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<SubscriptionObject> {
    return this.subscriptions.get(merchantId, id);
  }

  @Post(':id')
  @HttpCode(200)
  async update(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: UpdateSubscriptionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubscriptionObject> {
    return send(res, await this.subscriptions.update(meta, id, body));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  async cancel(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: CancelSubscriptionRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SubscriptionObject> {
    return send(res, await this.subscriptions.cancel(meta, id, body));
  }
}
