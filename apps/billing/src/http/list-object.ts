import { ApiError } from '@payflow/platform/http';

/** Stripe's list object (BILLING-INTERFACES): newest first, `url` the public path of the list. */
export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

/** Rows fetched with `limit + 1`: the extra row only says whether there is a next page. */
export function listOf<R, T>(rows: readonly R[], limit: number, url: string, toObject: (row: R) => T): ListObject<T> {
  return { object: 'list', data: rows.slice(0, limit).map(toObject), has_more: rows.length > limit, url };
}

/** Where a page starts: after this (created_at, id) in newest-first order. */
export interface PageCursor {
  created_at: Date;
  id: string;
}

/** Stripe's convention (and intents'): a cursor that names no object of this merchant is a bad parameter. */
export function unknownCursor(object: string, id: string): ApiError {
  return ApiError.invalidParam('starting_after', `No such ${object}: '${id.slice(0, 80)}'`, 'resource_missing');
}

/**
 * The keyset condition of a newest-first page, for `WHERE … AND <condition>`: parameters `$n`
 * (created_at) and `$n+1` (id), both null for the first page; `alias` qualifies the columns.
 */
export function afterCursorSql(n: number, alias = ''): string {
  const a = alias ? `${alias}.` : '';
  return `($${n}::timestamptz IS NULL OR (${a}created_at, ${a}id) < ($${n}::timestamptz, $${n + 1}::text))`;
}

export function cursorParams(cursor: PageCursor | null | undefined): [Date | null, string | null] {
  return [cursor?.created_at ?? null, cursor?.id ?? null];
}
