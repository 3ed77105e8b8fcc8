import { Body, Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { UpdateDunningSettingsRequest } from '@payflow/api';
import type { DunningSettingsObject } from '@payflow/contracts';
import { MerchantId } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { Meta, RequestMeta } from '../http/request-meta';
import { DunningSettingsService } from './dunning-settings.service';

/** The gateway's hop for `/v1/dunning_settings` (API.md "Dunning settings"). */
@Controller('internal/v1/dunning_settings')
export class DunningSettingsController {
  constructor(private readonly settings: DunningSettingsService) {}

  @Get()
  get(@MerchantId() merchantId: string): Promise<DunningSettingsObject> {
    return this.settings.get(merchantId);
  }

  @Post()
  @HttpCode(200)
  async update(
    @Meta() meta: RequestMeta,
    @Body() body: UpdateDunningSettingsRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<DunningSettingsObject> {
    return send(res, await this.settings.update(meta, body));
  }
}
