import { Injectable } from '@nestjs/common';
import { Queryable, rowsOf } from '@payflow/platform/database';
import { PageCursor, afterCursorSql, cursorParams } from '../http/list-object';
import { CUSTOMER_COLUMNS, CustomerRow, readCustomerRow } from './customer.row';

export interface NewCustomer {
  id: string;
  merchant_id: string;
  email: string | null;
  name: string | null;
  payment_method: string | null;
  test_clock_id: string | null;
  metadata: Record<string, string>;
  created_at: Date;
}

export type CustomerChanges = Partial<Pick<CustomerRow, 'email' | 'name' | 'payment_method' | 'metadata'>>;

/** The `customers` table (and the balances read with it). */
@Injectable()
export class CustomersRepository {
  async insert(tx: Queryable, customer: NewCustomer): Promise<CustomerRow> {
    await tx.query(
      `INSERT INTO customers (id, merchant_id, email, name, payment_method, test_clock_id, metadata, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $8)`,
      [
        customer.id,
        customer.merchant_id,
        customer.email,
        customer.name,
        customer.payment_method,
        customer.test_clock_id,
        JSON.stringify(customer.metadata),
        customer.created_at,
      ],
    );
    return { ...customer, updated_at: customer.created_at, balance: {} };
  }

  /**
   * The merchant's customer, or null for an unknown one or another merchant's (both answer 404).
   * `lock`: FOR UPDATE (a change) or FOR SHARE (a subscription is created for it).
   */
  async find(
    db: Queryable,
    merchantId: string,
    id: string,
    lock: 'update' | 'share' | null = null,
  ): Promise<CustomerRow | null> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE c.id = $1 AND c.merchant_id = $2
         ${lock === 'update' ? 'FOR UPDATE OF c' : lock === 'share' ? 'FOR SHARE OF c' : ''}`,
        [id, merchantId],
      ),
    );
    return rows[0] ? readCustomerRow(rows[0]) : null;
  }

  async update(tx: Queryable, id: string, changes: CustomerChanges, at: Date): Promise<void> {
    const columns = Object.keys(changes) as (keyof CustomerChanges)[];
    const values: unknown[] = [id, at];
    const sets = columns.map((column) => {
      const value = changes[column];
      values.push(column === 'metadata' ? JSON.stringify(value) : value);
      return `${column} = $${values.length}${column === 'metadata' ? '::jsonb' : ''}`;
    });
    await tx.query(`UPDATE customers SET updated_at = $2${sets.map((s) => `, ${s}`).join('')} WHERE id = $1`, values);
  }

  /** Newest first by (created_at, id); `limit + 1` rows, the extra one says there is more. */
  async list(db: Queryable, merchantId: string, limit: number, cursor: PageCursor | null): Promise<CustomerRow[]> {
    const rows = rowsOf<Record<string, unknown>>(
      await db.query(
        `SELECT ${CUSTOMER_COLUMNS} FROM customers c
          WHERE c.merchant_id = $1 AND ${afterCursorSql(2, 'c')}
          ORDER BY c.created_at DESC, c.id DESC
          LIMIT $4`,
        [merchantId, ...cursorParams(cursor), limit + 1],
      ),
    );
    return rows.map(readCustomerRow);
  }
}
