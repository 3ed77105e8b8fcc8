import { Controller, Get, Param } from '@nestjs/common';
import { INVOICE_ID_PATTERN } from '@payflow/api';
import type { PaymentAttemptObject } from '@payflow/contracts';
import { DataSource } from 'typeorm';
import { ApiError, MerchantId } from '@payflow/platform/http';
import { type ListObject, wholeList } from '../http/list-object';
import { AttemptsRepository } from './attempts.repository';
import { InvoicesRepository } from './invoices.repository';

/**
 * The gateway's hop for `GET /v1/invoices/{id}/payment_attempts` (API.md): every attempt of the
 * invoice with its decline and dunning's decision, oldest first. An invoice dunning knows (from
 * `invoice.finalized` on) with no attempt yet answers an empty list; another merchant's invoice, an
 * unknown or a malformed id is 404 `resource_missing`.
 */
@Controller('internal/v1/invoices')
export class PaymentAttemptsController {
  constructor(
    private readonly dataSource: DataSource,
    private readonly invoices: InvoicesRepository,
    private readonly attempts: AttemptsRepository,
  ) {}

  @Get(':id/payment_attempts')
  async list(@MerchantId() merchantId: string, @Param('id') id: string): Promise<ListObject<PaymentAttemptObject>> {
    const invoice = INVOICE_ID_PATTERN.test(id) ? await this.invoices.findOfMerchant(this.dataSource, merchantId, id) : null;
    if (!invoice) throw ApiError.missing('invoice', id.slice(0, 80));
    return wholeList(await this.attempts.listOf(this.dataSource, invoice.id), `/v1/invoices/${invoice.id}/payment_attempts`);
  }
}
