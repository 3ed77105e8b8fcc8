import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ListInvoicesQuery, UpcomingInvoiceQuery, foldUpcomingInvoiceQuery } from '@payflow/api';
import type { InvoiceObject } from '@payflow/contracts';
import { MerchantId, apiValidationPipe } from '@payflow/platform/http';
import { send } from '../http/api-response';
import { ListObject } from '../http/list-object';
import { Meta, RequestMeta } from '../http/request-meta';
import { InvoicesService } from './invoices.service';
import { UpcomingInvoiceObject, UpcomingInvoices } from './upcoming-invoices';

/** The gateway's hop for `/v1/invoices` (BILLING-INTERFACES). */
@Controller('internal/v1/invoices')
export class InvoicesController {
  private readonly validation = apiValidationPipe();

  constructor(
    private readonly invoices: InvoicesService,
    private readonly upcoming: UpcomingInvoices,
  ) {}

  @Get()
  list(@MerchantId() merchantId: string, @Query() query: ListInvoicesQuery): Promise<ListObject<InvoiceObject>> {
    return this.invoices.list(merchantId, query);
  }

  /** Declared before `:id`. The raw query is folded (`subscription_items[0][price]`) before validation. */
  @Get('upcoming')
  async preview(@MerchantId() merchantId: string, @Query() raw: Record<string, unknown>): Promise<UpcomingInvoiceObject> {
    const query = (await this.validation.transform(foldUpcomingInvoiceQuery(raw), {
      type: 'query',
      metatype: UpcomingInvoiceQuery,
    })) as UpcomingInvoiceQuery;
    return this.upcoming.preview(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<InvoiceObject> {
    return this.invoices.get(merchantId, id);
  }

  @Post(':id/pay')
  @HttpCode(200)
  async pay(@Meta() meta: RequestMeta, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<InvoiceObject> {
    return send(res, await this.invoices.pay(meta, id));
  }

  @Post(':id/void')
  @HttpCode(200)
  async void(@Meta() meta: RequestMeta, @Param('id') id: string, @Res({ passthrough: true }) res: Response): Promise<InvoiceObject> {
    return send(res, await this.invoices.void(meta, id));
  }

  @Post(':id/mark_uncollectible')
  @HttpCode(200)
  async markUncollectible(
    @Meta() meta: RequestMeta,
    @Param('id') id: string,
    @Res({ passthrough: true }) res: Response,
  ): Promise<InvoiceObject> {
    return send(res, await this.invoices.markUncollectible(meta, id));
  }
}
