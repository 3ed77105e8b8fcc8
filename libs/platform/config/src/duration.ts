import { ValidateBy } from 'class-validator';

/**
 * Durations in configuration: a number with a unit (`7d`, `1h`, `90m`, `45s`, `1500ms`) or a bare
 * number, whose unit each variable states (intents' AUTHORIZATION_TTL reads seconds, as the seed's
 * examples do; billing's windows read milliseconds, as the platform's other `*_MS` settings do).
 */
export type BareDurationUnit = 's' | 'ms';

const DURATION_PATTERN = /^(\d+)(ms|s|m|h|d)?$/;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of a duration; throws a RangeError on anything else, on zero and on an unsafe number. */
export function parseDurationMs(value: string, bareUnit: BareDurationUnit): number {
  const match = DURATION_PATTERN.exec(value.trim());
  if (!match) throw new RangeError(`not a duration: "${value}" (use e.g. 1h, 90m, 45s, 1500ms)`);
  const ms = Number(match[1]) * UNIT_MS[match[2] ?? bareUnit];
  if (!Number.isSafeInteger(ms) || ms <= 0) throw new RangeError(`duration must be positive: "${value}"`);
  return ms;
}

/** Whether a config value is a positive duration that parseDurationMs reads. */
export function isPositiveDuration(value: unknown, bareUnit: BareDurationUnit): boolean {
  try {
    return typeof value === 'string' && parseDurationMs(value, bareUnit) > 0;
  } catch {
    return false;
  }
}

/** Config rule: a positive duration, a bare number read in `bareUnit`. */
export function IsPositiveDuration(bareUnit: BareDurationUnit): PropertyDecorator {
  const bare = bareUnit === 's' ? 'a number of seconds' : 'a number of milliseconds';
  return ValidateBy({
    name: 'isPositiveDuration',
    validator: {
      validate: (value: unknown) => isPositiveDuration(value, bareUnit),
      defaultMessage: () => `must be a positive duration such as 7d, 1h, 90m, 45s, 1500ms or ${bare}`,
    },
  });
}
