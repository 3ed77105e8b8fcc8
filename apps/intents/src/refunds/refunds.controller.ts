import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { RefundRequest } from '@payflow/api';
import { RefundObject } from '@payflow/contracts';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { Meta, RequestMeta } from '../http/request-meta';
import { RefundList, RefundsService } from './refunds.service';

/** The gateway's hop for a payment intent's refunds (docs/internal-api.md). */
@Controller('internal/v1/payment_intents/:id')
export class RefundsController {
  constructor(private readonly refunds: RefundsService) {}

  @Post('refund')
  @HttpCode(200)
  async refund(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Body() body: RefundRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<RefundObject> {
    return send(res, await this.refunds.refund(meta, id, body));
  }

  @Get('refunds')
  list(@MerchantId() merchantId: string, @Param('id') id: string): Promise<RefundList> {
    return this.refunds.list(merchantId, id);
  }
}
