import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface CurrencyAmount {
  currency: string;
  amount: number;
}

export interface MerchantBalance {
  object: 'balance';
  merchant_id: string;
  as_of: string | null;
  /** merchant_payable, posted: captures − fees − refunds. */
  available: CurrencyAmount[];
  /** Authorizations held and not yet captured or voided. */
  pending: CurrencyAmount[];
  /** platform_fees: what the merchant paid PayFlow. */
  fees: CurrencyAmount[];
}

export interface AccountBalance {
  code: string;
  currency: string;
  type: string;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
}

interface BalanceRow {
  kind: string;
  currency: string;
  posted: string;
  pending: string;
}

/** JSON amounts are integers; a balance beyond 2^53 minor units would be a bug worth failing on. */
export function toJsonAmount(value: string | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`amount ${value} exceeds JSON's safe integers`);
  return n;
}

/**
 * Balances read from the running totals (now) or summed from postings up to a time (as of). Both
 * are credit-normal for the merchant's liability and revenue accounts.
 */
@Injectable()
export class BalancesService {
  constructor(private readonly dataSource: DataSource) {}

  async merchantBalance(merchantId: string, asOf?: Date): Promise<MerchantBalance> {
    const rows: BalanceRow[] = asOf
      ? await this.dataSource.query(
          `SELECT a.kind, a.currency,
                  COALESCE(sum(CASE WHEN NOT p.pending THEN CASE p.direction WHEN 'credit' THEN p.amount ELSE -p.amount END END), 0)::text AS posted,
                  COALESCE(sum(CASE WHEN p.pending THEN CASE p.direction WHEN 'credit' THEN p.amount ELSE -p.amount END END), 0)::text AS pending
             FROM accounts a LEFT JOIN postings p ON p.account_id = a.id AND p.created_at <= $2
            WHERE a.merchant_id = $1 GROUP BY a.kind, a.currency ORDER BY a.currency`,
          [merchantId, asOf],
        )
      : await this.dataSource.query(
          `SELECT kind, currency, (credits_posted - debits_posted)::text AS posted,
                  (credits_pending - debits_pending)::text AS pending
             FROM accounts WHERE merchant_id = $1 ORDER BY currency`,
          [merchantId],
        );
    const pick = (kind: string, column: 'posted' | 'pending') =>
      rows.filter((row) => row.kind === kind).map((row) => ({ currency: row.currency, amount: toJsonAmount(row[column]) }));
    return {
      object: 'balance',
      merchant_id: merchantId,
      as_of: asOf ? asOf.toISOString() : null,
      available: pick('merchant_payable', 'posted'),
      pending: pick('merchant_payable', 'pending'),
      fees: pick('platform_fees', 'posted'),
    };
  }

  async accountBalances(filter: { merchantId?: string; provider?: string }): Promise<AccountBalance[]> {
    const rows = await this.dataSource.query(
      `SELECT code, currency, type, debits_posted::text, credits_posted::text, debits_pending::text, credits_pending::text
         FROM accounts WHERE ($1::text IS NULL OR merchant_id = $1) AND ($2::text IS NULL OR provider = $2)
        ORDER BY code, currency LIMIT 1000`,
      [filter.merchantId ?? null, filter.provider ?? null],
    );
    return rows.map((row: Record<string, string>) => ({
      code: row['code'],
      currency: row['currency'],
      type: row['type'],
      debits_posted: toJsonAmount(row['debits_posted']),
      credits_posted: toJsonAmount(row['credits_posted']),
      debits_pending: toJsonAmount(row['debits_pending']),
      credits_pending: toJsonAmount(row['credits_pending']),
    }));
  }
}
