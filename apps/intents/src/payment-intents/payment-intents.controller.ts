import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import {
  AuthorizeRequest,
  CancelRequest,
  CaptureRequest,
  CreatePaymentIntentRequest,
  ListPaymentIntentsQuery,
} from '@payflow/api';
import { PaymentIntentObject } from '@payflow/contracts';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { Meta, RequestMeta } from '../http/request-meta';
import { PaymentIntentList, PaymentIntentsService } from './payment-intents.service';

/** The gateway's hop for `/v1/payment_intents` (docs/internal-api.md). */
@Controller('internal/v1/payment_intents')
export class PaymentIntentsController {
  constructor(private readonly intents: PaymentIntentsService) {}

  @Post()
  @HttpCode(201)
  async create(
    @Meta() meta: RequestMeta,
    @Body() body: CreatePaymentIntentRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PaymentIntentObject> {
    return send(res, await this.intents.create(meta, body));
  }

  @Get()
  list(
    @MerchantId() merchantId: string,
    @Query() query: ListPaymentIntentsQuery,
  ): Promise<PaymentIntentList> {
    return this.intents.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<PaymentIntentObject> {
    return this.intents.get(merchantId, id);
  }

  @Post(':id/authorize')
  async authorize(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: AuthorizeRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PaymentIntentObject> {
    return send(res, await this.intents.authorize(meta, id, body));
  }

  @Post(':id/capture')
  async capture(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: CaptureRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PaymentIntentObject> {
    return send(res, await this.intents.capture(meta, id, body));
  }

  @Post(':id/cancel')
  async cancel(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: CancelRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<PaymentIntentObject> {
    return send(res, await this.intents.cancel(meta, id, body));
  }
}
