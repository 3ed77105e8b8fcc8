import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Tx } from '@payflow/platform/database';
import type { Merchant, VersionedMerchant } from './merchant';

interface MerchantRow {
  id: string;
  name: string;
  fee_bps: number;
  fee_fixed: Record<string, number> | null;
  created_at: Date;
}

interface VersionedMerchantRow extends MerchantRow {
  version: number;
  announced_version: number;
}

const VERSIONED_COLUMNS = 'id, name, fee_bps, fee_fixed, created_at, version, announced_version';

const toVersionedMerchant = (row: VersionedMerchantRow): VersionedMerchant => ({
  ...toMerchant(row),
  version: row.version,
  announced_version: row.announced_version,
});

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

  /**
   * A new merchant at version 1. `announcedVersion` is 1 when the caller writes its
   * `merchant.created` in the same transaction (always, through the admin API).
   */
  async insert(tx: Tx, merchant: Merchant, announcedVersion = 1): Promise<void> {
    await tx.query(
      `INSERT INTO merchants (id, name, fee_bps, fee_fixed, created_at, updated_at, version, announced_version)
       VALUES ($1, $2, $3, $4, $5, $5, 1, $6)`,
      [
        merchant.id,
        merchant.name,
        merchant.fee_bps,
        merchant.fee_fixed === null ? null : JSON.stringify(merchant.fee_fixed),
        merchant.created,
        announcedVersion,
      ],
    );
  }

  /** The merchant with its versions, its row locked until the end of `tx`; null when unknown. */
  async lockById(tx: Tx, id: string): Promise<VersionedMerchant | null> {
    const rows: VersionedMerchantRow[] = await tx.query(
      `SELECT ${VERSIONED_COLUMNS} FROM merchants WHERE id = $1 FOR UPDATE`,
      [id],
    );
    return rows.length ? toVersionedMerchant(rows[0]) : null;
  }

  /** Writes a changed name or fee schedule as `version`, announced in the same transaction. */
  async update(tx: Tx, merchant: Merchant, version: number, at: Date): Promise<void> {
    await tx.query(
      `UPDATE merchants
          SET name = $2, fee_bps = $3, fee_fixed = $4, version = $5, announced_version = $5, updated_at = $6
        WHERE id = $1`,
      [
        merchant.id,
        merchant.name,
        merchant.fee_bps,
        merchant.fee_fixed === null ? null : JSON.stringify(merchant.fee_fixed),
        version,
        at,
      ],
    );
  }

  /**
   * Up to `limit` merchants whose current version has no event yet (those that existed before the
   * merchant events), locked; SKIP LOCKED, so replicas announcing at once share the work.
   */
  async lockUnannounced(tx: Tx, limit: number): Promise<VersionedMerchant[]> {
    const rows: VersionedMerchantRow[] = await tx.query(
      `SELECT ${VERSIONED_COLUMNS} FROM merchants
        WHERE announced_version < version
        ORDER BY id
        LIMIT $1
        FOR UPDATE SKIP LOCKED`,
      [limit],
    );
    return rows.map(toVersionedMerchant);
  }

  async markAnnounced(tx: Tx, id: string, version: number): Promise<void> {
    await tx.query(`UPDATE merchants SET announced_version = $2 WHERE id = $1 AND announced_version < $2`, [
      id,
      version,
    ]);
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
