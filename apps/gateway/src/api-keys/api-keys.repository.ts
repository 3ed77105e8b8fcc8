import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Tx } from '@payflow/platform/database';

export interface ApiKeyRecord {
  id: string;
  merchant_id: string;
  key_hash: string;
  prefix: string;
  created: Date;
  revoked: Date | null;
}

/** The api_keys table: hashes only, never a key. */
@Injectable()
export class ApiKeysRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(tx: Tx, key: Omit<ApiKeyRecord, 'revoked'>): Promise<void> {
    await tx.query(
      `INSERT INTO api_keys (id, merchant_id, key_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5)`,
      [key.id, key.merchant_id, key.key_hash, key.prefix, key.created],
    );
  }

  async listForMerchant(merchantId: string): Promise<ApiKeyRecord[]> {
    const rows: {
      id: string;
      merchant_id: string;
      key_hash: string;
      prefix: string;
      created_at: Date;
      revoked_at: Date | null;
    }[] = await this.dataSource.query(
      `SELECT id, merchant_id, key_hash, prefix, created_at, revoked_at FROM api_keys WHERE merchant_id = $1 ORDER BY created_at`,
      [merchantId],
    );
    return rows.map((row) => ({
      id: row.id,
      merchant_id: row.merchant_id,
      key_hash: row.key_hash,
      prefix: row.prefix,
      created: row.created_at,
      revoked: row.revoked_at,
    }));
  }
}
