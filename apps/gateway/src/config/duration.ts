/**
 * API_TIMEOUT comes in the seed's Go-style form (`30s`) or as plain milliseconds (`10000`), so an
 * environment copied from the seed keeps working. Only the units a timeout needs are accepted.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000 };

/** Milliseconds for `1500`, `1500ms`, `30s` or `2m`; undefined for anything else. */
export function parseDurationMs(value: string): number | undefined {
  const match = /^(\d{1,9})(ms|s|m)?$/.exec(value.trim());
  if (!match) return undefined;
  return Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
}
