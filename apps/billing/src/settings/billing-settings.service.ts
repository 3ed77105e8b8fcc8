import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UpdateBillingSettingsRequest } from '@payflow/api';
import { Clock } from '@payflow/platform/clock';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { ApiAnswer, ApiError } from '@payflow/platform/http';
import { IdempotentTransaction } from '../idempotency/idempotent-transaction';
import type { RequestMeta } from '../http/request-meta';
import { INVOICE_PREFIX_PATTERN, defaultInvoicePrefix } from './invoice-prefix';

/** `GET/POST /v1/billing_settings` (API.md): Stripe-like object of a merchant's billing settings. */
export interface BillingSettingsObject {
  object: 'billing_settings';
  invoice_prefix: string;
}

/**
 * A merchant's billing settings. Only `invoice_prefix` for now; a merchant that never set it has
 * the default (no row). The finalizing transaction (CORE-B) reads the prefix with `invoicePrefix`:
 * a change applies to invoices finalized from then on, numbers already given keep theirs.
 */
@Injectable()
export class BillingSettingsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly idempotent: IdempotentTransaction,
    private readonly clock: Clock,
  ) {}

  /** The prefix invoice numbers of this merchant take now (its own, or the default). */
  async invoicePrefix(db: Queryable, merchantId: string): Promise<string> {
    const rows = rowsOf<{ invoice_prefix: string }>(
      await db.query(`SELECT invoice_prefix FROM billing_settings WHERE merchant_id = $1`, [merchantId]),
    );
    return rows[0]?.invoice_prefix ?? defaultInvoicePrefix(merchantId);
  }

  async get(merchantId: string): Promise<BillingSettingsObject> {
    return { object: 'billing_settings', invoice_prefix: await this.invoicePrefix(this.dataSource, merchantId) };
  }

  update(meta: RequestMeta, request: UpdateBillingSettingsRequest): Promise<ApiAnswer<BillingSettingsObject>> {
    return this.idempotent.run(meta.idempotency, async (tx) => {
      if (request.invoice_prefix !== undefined) {
        // The DTO checks it too; billing keeps its own rule (and the table a CHECK) in case it drifts.
        if (!INVOICE_PREFIX_PATTERN.test(request.invoice_prefix)) {
          throw ApiError.invalidParam('invoice_prefix', 'invoice_prefix must be 3 to 12 upper-case letters or digits');
        }
        await tx.query(
          `INSERT INTO billing_settings (merchant_id, invoice_prefix, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (merchant_id) DO UPDATE SET invoice_prefix = EXCLUDED.invoice_prefix, updated_at = EXCLUDED.updated_at`,
          [meta.merchantId, request.invoice_prefix, this.clock.now()],
        );
      }
      return {
        statusCode: 200,
        body: { object: 'billing_settings', invoice_prefix: await this.invoicePrefix(tx, meta.merchantId) },
      };
    });
  }
}
