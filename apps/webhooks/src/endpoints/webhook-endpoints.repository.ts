import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { WebhookEndpointRow } from './webhook-endpoint';

export type EndpointChanges = Partial<
  Pick<WebhookEndpointRow, 'url' | 'enabled_events' | 'status' | 'description'>
>;

/** SQL of `webhook_endpoints`; every read and write is scoped by merchant. */
@Injectable()
export class WebhookEndpointsRepository {
  async insert(db: Queryable, row: WebhookEndpointRow): Promise<WebhookEndpointRow> {
    const [created] = rowsOf<WebhookEndpointRow>(
      await db.query(
        `INSERT INTO webhook_endpoints (id, merchant_id, url, enabled_events, secret, status, description, created_at, updated_at)
         VALUES ($1, $2, $3, $4::text[], $5, $6, $7, $8, $8) RETURNING *`,
        [
          row.id,
          row.merchant_id,
          row.url,
          row.enabled_events,
          row.secret,
          row.status,
          row.description,
          row.created_at,
        ],
      ),
    );
    return created;
  }

  async find(
    db: Queryable,
    merchantId: string,
    id: string,
    options: { lock?: boolean } = {},
  ): Promise<WebhookEndpointRow | null> {
    const [row] = rowsOf<WebhookEndpointRow>(
      await db.query(
        `SELECT * FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2${options.lock ? ' FOR UPDATE' : ''}`,
        [id, merchantId],
      ),
    );
    return row ?? null;
  }

  /** Newest first by (created_at, id), `limit + 1` rows (the extra one says whether there is more). */
  async list(
    db: Queryable,
    merchantId: string,
    limit: number,
    after?: WebhookEndpointRow,
  ): Promise<WebhookEndpointRow[]> {
    return rowsOf<WebhookEndpointRow>(
      await db.query(
        `SELECT * FROM webhook_endpoints
          WHERE merchant_id = $1 AND ($2::timestamptz IS NULL OR (created_at, id) < ($2::timestamptz, $3::text))
          ORDER BY created_at DESC, id DESC LIMIT $4`,
        [merchantId, after?.created_at ?? null, after?.id ?? null, limit + 1],
      ),
    );
  }

  async update(tx: Queryable, id: string, changes: EndpointChanges, now: Date): Promise<WebhookEndpointRow> {
    const values: unknown[] = [id, now];
    const sets = Object.entries(changes)
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => {
        values.push(value);
        return `${column} = $${values.length}${column === 'enabled_events' ? '::text[]' : ''}`;
      });
    const [row] = rowsOf<WebhookEndpointRow>(
      await tx.query(
        `UPDATE webhook_endpoints SET updated_at = $2${sets.map((s) => `, ${s}`).join('')} WHERE id = $1 RETURNING *`,
        values,
      ),
    );
    return row;
  }

  async delete(db: Queryable, merchantId: string, id: string): Promise<boolean> {
    const result = (await db.query(`DELETE FROM webhook_endpoints WHERE id = $1 AND merchant_id = $2`, [
      id,
      merchantId,
    ])) as [unknown, number];
    return result[1] > 0;
  }

  /** The merchant's enabled endpoints subscribed to `type` (or to everything). */
  async subscribedTo(
    db: Queryable,
    merchantId: string,
    type: string,
  ): Promise<Pick<WebhookEndpointRow, 'id'>[]> {
    return rowsOf(
      await db.query(
        `SELECT id FROM webhook_endpoints
          WHERE merchant_id = $1 AND status = 'enabled' AND enabled_events && ARRAY['*', $2]::text[]
          ORDER BY id`,
        [merchantId, type],
      ),
    );
  }

  /** A disabled endpoint's deliveries still waiting are canceled (they would never be sent). */
  async cancelPendingDeliveries(tx: Queryable, endpointId: string, now: Date): Promise<void> {
    await tx.query(
      `UPDATE webhook_deliveries SET status = 'canceled', next_attempt_at = NULL, completed_at = $2
        WHERE endpoint_id = $1 AND status = 'pending'`,
      [endpointId, now],
    );
  }
}
