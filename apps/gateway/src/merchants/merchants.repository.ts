import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Tx } from '@payflow/platform/database';
import type { Merchant } from './merchant';

interface MerchantRow {
  id: string;
  name: string;
  fee_bps: number;
  fee_fixed: Record<string, number> | null;
  created_at: Date;
}

const toMerchant = (row: MerchantRow): Merchant => ({
  id: row.id,
  name: row.name,
  fee_bps: row.fee_bps,
  fee_fixed: row.fee_fixed,
  created: row.created_at,
});

/** The merchants table (gateway schema). */
@Injectable()
export class MerchantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, merchant: Merchant): Promise<void> {
    await tx.query(
      `INSERT INTO merchants (id, name, fee_bps, fee_fixed, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [
        merchant.id,
        merchant.name,
        merchant.fee_bps,
        merchant.fee_fixed === null ? null : JSON.stringify(merchant.fee_fixed),
        merchant.created,
      ],
    );
  }

  async findById(id: string): Promise<Merchant | null> {
    const rows: MerchantRow[] = await this.dataSource.query(
      `SELECT id, name, fee_bps, fee_fixed, created_at FROM merchants WHERE id = $1`,
      [id],
    );
    return rows.length ? toMerchant(rows[0]) : null;
  }

  /** The merchant a live (not revoked) key hash belongs to. */
  async findByApiKeyHash(keyHash: string): Promise<Merchant | null> {
    const rows: MerchantRow[] = await this.dataSource.query(
      `SELECT m.id, m.name, m.fee_bps, m.fee_fixed, m.created_at
         FROM api_keys k JOIN merchants m ON m.id = k.merchant_id
        WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [keyHash],
    );
    return rows.length ? toMerchant(rows[0]) : null;
  }
}
