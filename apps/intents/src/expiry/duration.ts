/** `7d`, `168h`, `90m`, `45s`, `1500ms` or a plain number of seconds. */
export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)?$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration as AUTHORIZATION_TTL accepts it; throws on anything else or zero. */
export function parseDurationMs(value: string): number {
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) throw new RangeError(`not a duration: "${value}" (use e.g. 7d, 168h, 90m, 45s or seconds)`);
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? 's'];
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`duration must be positive: "${value}"`);
  return ms;
}

/** Config rule: a positive duration that parseDurationMs reads. */
export function isPositiveDuration(value: unknown): boolean {
  try {
    return typeof value === 'string' && parseDurationMs(value) > 0;
  } catch {
    return false;
  }
}
