import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UpdateBillingSettingsRequest } from '@payflow/api';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { Meta, RequestMeta } from '../http/request-meta';
import { BillingSettingsObject, BillingSettingsService } from './billing-settings.service';

/** The gateway's hop for `/v1/billing_settings` (API.md). */
@Controller('internal/v1/billing_settings')
export class BillingSettingsController {
  constructor(private readonly settings: BillingSettingsService) {}

  @Get()
  get(@MerchantId() merchantId: string): Promise<BillingSettingsObject> {
    return this.settings.get(merchantId);
  }

  @Post()
  @HttpCode(200)
  async update(
    @Meta() meta: RequestMeta,
    @Body() body: UpdateBillingSettingsRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<BillingSettingsObject> {
    return send(res, await this.settings.update(meta, body));
  }
}
