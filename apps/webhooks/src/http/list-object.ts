/** Stripe's list object, newest first (API.md). */
export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
}

/** Rows fetched with `limit + 1`: the extra row only says whether there is a next page. */
export function listOf<R, T>(rows: R[], limit: number, toObject: (row: R) => T): ListObject<T> {
  return { object: 'list', data: rows.slice(0, limit).map(toObject), has_more: rows.length > limit };
}
