import { randomBytes } from 'node:crypto';
import type { TestClockObject, TestClockStatus } from '@payflow/contracts';

/** A `test_clocks` row as the service reads it. */
export interface TestClockRow {
  id: string;
  merchant_id: string;
  name: string | null;
  frozen_time: Date;
  status: TestClockStatus;
  target_time: Date | null;
  created_at: Date;
  deleted_at: Date | null;
  version: number;
  waiting_since: Date | null;
}

/** `clock_…`: the prefix of API.md and 24 random hex characters (96 bits). */
export const newTestClockId = () => `clock_${randomBytes(12).toString('hex')}`;

export function readTestClockRow(row: Record<string, unknown>): TestClockRow {
  return {
    id: String(row['id']),
    merchant_id: String(row['merchant_id']),
    name: (row['name'] as string | null) ?? null,
    frozen_time: new Date(row['frozen_time'] as Date | string),
    status: row['status'] as TestClockStatus,
    target_time: row['target_time'] ? new Date(row['target_time'] as Date | string) : null,
    created_at: new Date(row['created_at'] as Date | string),
    deleted_at: row['deleted_at'] ? new Date(row['deleted_at'] as Date | string) : null,
    version: Number(row['version'] ?? 0),
    waiting_since: row['waiting_since'] ? new Date(row['waiting_since'] as Date | string) : null,
  };
}

/** The public test clock (API.md "Test clock"). */
export function toTestClockObject(row: TestClockRow): TestClockObject {
  return {
    id: row.id,
    object: 'test_clock',
    name: row.name,
    frozen_time: row.frozen_time.toISOString(),
    status: row.status,
    created: row.created_at.toISOString(),
  };
}

/** Stripe's answer to a DELETE: the id, the object type and `deleted: true`. */
export interface DeletedTestClockObject {
  id: string;
  object: 'test_clock';
  deleted: true;
}
