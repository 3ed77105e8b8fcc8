import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { BillingSettingsService } from '../settings/billing-settings.service';
import { NumberSequence, formatInvoiceNumber } from './invoice-number';

/**
 * Gapless invoice numbers (DESIGN.md "Billing"): the merchant's sequence row is incremented in the
 * finalizing transaction, and the increment holds the row's lock until that transaction ends. A
 * number is therefore used by exactly one committed invoice: a rollback gives it back, and
 * concurrent finalizations of one merchant take numbers one after the other.
 */
@Injectable()
export class InvoiceNumbers {
  constructor(private readonly settings: BillingSettingsService) {}

  async next(tx: Queryable, merchantId: string, sequence: NumberSequence): Promise<string> {
    const [row] = rowsOf<{ last_number: string }>(
      await tx.query(
        `INSERT INTO invoice_number_sequences AS s (merchant_id, sequence, last_number) VALUES ($1, $2, 1)
         ON CONFLICT (merchant_id, sequence) DO UPDATE SET last_number = s.last_number + 1
         RETURNING last_number`,
        [merchantId, sequence],
      ),
    );
    // The prefix in force now: a change applies to numbers given from then on (API.md).
    const prefix = await this.settings.invoicePrefix(tx, merchantId);
    return formatInvoiceNumber(prefix, sequence, Number(row.last_number));
  }

  /**
   * The next `count` numbers of the sequence at once (`next` for a batch of finalizations), in
   * order: one increment by `count` under the same row lock, so they stay gapless as long as every
   * one is used in this transaction (a rollback gives them all back).
   */
  async nextMany(
    tx: Queryable,
    merchantId: string,
    sequence: NumberSequence,
    count: number,
  ): Promise<string[]> {
    if (count < 1) return [];
    const [row] = rowsOf<{ last_number: string }>(
      await tx.query(
        `INSERT INTO invoice_number_sequences AS s (merchant_id, sequence, last_number) VALUES ($1, $2, $3)
         ON CONFLICT (merchant_id, sequence) DO UPDATE SET last_number = s.last_number + $3
         RETURNING last_number`,
        [merchantId, sequence, count],
      ),
    );
    const prefix = await this.settings.invoicePrefix(tx, merchantId);
    const last = Number(row.last_number);
    return Array.from({ length: count }, (_, i) =>
      formatInvoiceNumber(prefix, sequence, last - count + 1 + i),
    );
  }
}
