import { Injectable } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import { rowsOf } from '../attempts/query-rows';
import type { RoutingRule } from '../routing/routing-rule';

type Row = Record<string, unknown>;

const toNumber = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

function ruleFromRow(row: Row): RoutingRule {
  return {
    ...(row as unknown as RoutingRule),
    currency: row['currency'] === null ? null : String(row['currency']).trim(),
    min_amount: toNumber(row['min_amount']),
    max_amount: toNumber(row['max_amount']),
    providers: row['providers'] as Provider[],
    weights: (row['weights'] as number[] | null) ?? null,
  };
}

export type RoutingRuleFields = Pick<
  RoutingRule,
  | 'merchant_id'
  | 'priority'
  | 'enabled'
  | 'currency'
  | 'min_amount'
  | 'max_amount'
  | 'card_brand'
  | 'providers'
  | 'weights'
>;

/** Anything with a `query` (the data source for the admin API, a transaction for routing). */
type Queryable = Pick<Tx, 'query'>;

/** All SQL on `routing_rules`. */
@Injectable()
export class RoutingRulesRepository {
  /** A merchant's rules in evaluation order (priority, then id). */
  async forMerchant(db: Queryable, merchantId: string): Promise<RoutingRule[]> {
    const rows: Row[] = await db.query(
      `SELECT * FROM routing_rules WHERE merchant_id = $1 ORDER BY priority, id`,
      [merchantId],
    );
    return rows.map(ruleFromRow);
  }

  async list(db: Queryable, merchantId: string | undefined, limit: number): Promise<RoutingRule[]> {
    const rows: Row[] = merchantId
      ? await db.query(`SELECT * FROM routing_rules WHERE merchant_id = $1 ORDER BY priority, id LIMIT $2`, [
          merchantId,
          limit,
        ])
      : await db.query(`SELECT * FROM routing_rules ORDER BY merchant_id, priority, id LIMIT $1`, [limit]);
    return rows.map(ruleFromRow);
  }

  async get(db: Queryable, id: string): Promise<RoutingRule | null> {
    const rows: Row[] = await db.query(`SELECT * FROM routing_rules WHERE id = $1`, [id]);
    return rows.length ? ruleFromRow(rows[0]) : null;
  }

  async insert(db: Queryable, id: string, fields: RoutingRuleFields, now: Date): Promise<RoutingRule> {
    const rows: Row[] = await db.query(
      `INSERT INTO routing_rules (id, merchant_id, priority, enabled, currency, min_amount, max_amount, card_brand, providers, weights, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING *`,
      ruleParameters(id, fields, now),
    );
    return ruleFromRow(rows[0]);
  }

  async replace(
    db: Queryable,
    id: string,
    fields: RoutingRuleFields,
    now: Date,
  ): Promise<RoutingRule | null> {
    const rows = rowsOf<Row>(
      await db.query(
        `UPDATE routing_rules SET merchant_id = $2, priority = $3, enabled = $4, currency = $5, min_amount = $6, max_amount = $7,
              card_brand = $8, providers = $9, weights = $10, updated_at = $11
        WHERE id = $1 RETURNING *`,
        ruleParameters(id, fields, now),
      ),
    );
    return rows.length ? ruleFromRow(rows[0]) : null;
  }

  async delete(db: Queryable, id: string): Promise<boolean> {
    const rows = rowsOf<Row>(await db.query(`DELETE FROM routing_rules WHERE id = $1 RETURNING id`, [id]));
    return rows.length > 0;
  }
}

/** $1…$11 of both the INSERT and the UPDATE: the id, every field in column order, the time. */
function ruleParameters(id: string, fields: RoutingRuleFields, now: Date): unknown[] {
  const { merchant_id, priority, enabled, currency, min_amount, max_amount, card_brand, providers, weights } =
    fields;
  return [
    id,
    merchant_id,
    priority,
    enabled,
    currency,
    min_amount,
    max_amount,
    card_brand,
    providers,
    weights,
    now,
  ];
}
