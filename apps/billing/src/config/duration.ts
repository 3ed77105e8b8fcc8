/**
 * `1h`, `90m`, `45s`, `1500ms`, `2d` or a plain number of MILLISECONDS (BILLING_DRAFT_WINDOW is a
 * window, and the platform's other windows are `*_MS`; intents' AUTHORIZATION_TTL reads a plain
 * number as seconds, which is why billing has its own parser and says so in docs/billing.md).
 */
export const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)?$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration; throws on anything else, on zero and on an unsafe number. */
export function parseDurationMs(value: string): number {
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) throw new RangeError(`not a duration: "${value}" (use e.g. 1h, 90m, 45s, 1500ms or milliseconds)`);
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? 'ms'];
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
