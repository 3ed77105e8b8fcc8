import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { PageCursor, afterCursorSql, cursorParams } from '../http/list-object';
import { PriceRow, readPriceRow } from './price.row';

/** The `prices` table. */
@Injectable()
export class PricesRepository {
  async insert(tx: Queryable, price: PriceRow): Promise<PriceRow> {
    await tx.query(
      `INSERT INTO prices (id, merchant_id, currency, unit_amount, interval, interval_count, nickname, active, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        price.id,
        price.merchant_id,
        price.currency,
        price.unit_amount,
        price.interval,
        price.interval_count,
        price.nickname,
        price.active,
        price.created_at,
      ],
    );
    return price;
  }

  /** The merchant's price, or null for an unknown one or another merchant's (both answer 404). */
  async find(db: Queryable, merchantId: string, id: string, forUpdate = false): Promise<PriceRow | null> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM prices WHERE id = $1 AND merchant_id = $2${forUpdate ? ' FOR UPDATE' : ''}`, [
        id,
        merchantId,
      ]),
    );
    return rows[0] ? readPriceRow(rows[0]) : null;
  }

  /** The merchant's prices among `ids` (unknown and other merchants' ones are simply absent). */
  async findMany(db: Queryable, merchantId: string, ids: readonly string[]): Promise<Map<string, PriceRow>> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(`SELECT * FROM prices WHERE id = ANY($1::text[]) AND merchant_id = $2`, [ids, merchantId]),
    );
    return new Map(rows.map((row) => [String(row['id']), readPriceRow(row)]));
  }

  async update(tx: Queryable, id: string, changes: { nickname?: string | null; active?: boolean }): Promise<void> {
    await tx.query(
      `UPDATE prices SET nickname = CASE WHEN $2 THEN $3 ELSE nickname END,
                         active = COALESCE($4, active)
        WHERE id = $1`,
      [id, 'nickname' in changes, changes.nickname ?? null, changes.active ?? null],
    );
  }

  /** Newest first by (created_at, id); `limit + 1` rows, the extra one says there is more. */
  async list(db: Queryable, merchantId: string, limit: number, cursor: PageCursor | null): Promise<PriceRow[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT * FROM prices WHERE merchant_id = $1 AND ${afterCursorSql(2)}
          ORDER BY created_at DESC, id DESC LIMIT $4`,
        [merchantId, ...cursorParams(cursor), limit + 1],
      ),
    );
    return rows.map(readPriceRow);
  }
}
