import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  CreateWebhookEndpointRequest,
  ListWebhookEndpointsQuery,
  UpdateWebhookEndpointRequest,
} from '@payflow/api';
import { ListObject } from '../http/list-object';
import { IdempotencyScope, MerchantId } from '@payflow/platform/http';
import { assertEndpointId } from '../http/public-ids';
import { sendAnswer } from '../http/send-answer';
import { Idempotency } from '../idempotency/idempotency-scope';
import { DeletedEndpointObject, WebhookEndpointObject } from './webhook-endpoint';
import { WebhookEndpointsService } from './webhook-endpoints.service';

/** The gateway's hop for `/v1/webhook_endpoints` (docs/internal-api.md). */
@Controller('internal/v1/webhook_endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @HttpCode(201)
  async create(
    @MerchantId() merchantId: string,
    @Idempotency() scope: IdempotencyScope | null,
    @Body() body: CreateWebhookEndpointRequest,
    @Res({ passthrough: true }) response: Response,
  ): Promise<WebhookEndpointObject> {
    return sendAnswer(response, await this.endpoints.create(merchantId, body, scope));
  }

  @Get()
  list(
    @MerchantId() merchantId: string,
    @Query() query: ListWebhookEndpointsQuery,
  ): Promise<ListObject<WebhookEndpointObject>> {
    return this.endpoints.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<WebhookEndpointObject> {
    return this.endpoints.get(merchantId, assertEndpointId(id));
  }

  @Post(':id')
  @HttpCode(200)
  update(
    @MerchantId() merchantId: string,
    @Param('id') id: string,
    @Body() body: UpdateWebhookEndpointRequest,
  ): Promise<WebhookEndpointObject> {
    return this.endpoints.update(merchantId, assertEndpointId(id), body);
  }

  @Delete(':id')
  delete(@MerchantId() merchantId: string, @Param('id') id: string): Promise<DeletedEndpointObject> {
    return this.endpoints.delete(merchantId, assertEndpointId(id));
  }
}
