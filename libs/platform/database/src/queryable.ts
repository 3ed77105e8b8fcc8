/** Anything that runs SQL: the data source, a transaction's EntityManager, or a pg pool/client. */
export interface Queryable {
  // Rows come back untyped from the driver; each caller states the row shape it selected.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, parameters?: unknown[]): Promise<any>;
}

/**
 * The rows of a query result, whoever ran it: TypeORM answers SELECT/RETURNING with the rows and
 * UPDATE/DELETE with `[rows, rowCount]`; pg answers with `{ rows }`.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (
    Array.isArray(result) &&
    result.length === 2 &&
    Array.isArray(result[0]) &&
    typeof result[1] === 'number'
  ) {
    return result[0] as T[];
  }
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] } | null)?.rows ?? []) as T[];
}

/** How many rows an UPDATE/DELETE touched, from TypeORM's `[rows, rowCount]` or pg's `{ rowCount }`. */
export function affectedRowsOf(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && typeof result[1] === 'number') return result[1];
  const rowCount = (result as { rowCount?: number | null } | null)?.rowCount;
  return typeof rowCount === 'number' ? rowCount : rowsOf(result).length;
}
