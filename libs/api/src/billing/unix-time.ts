import { Transform } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/**
 * Times in billing requests are Unix seconds, as in Stripe (`billing_cycle_anchor`, `frozen_time`,
 * `proration_date`): whole seconds, so a preview and the change made with the same `proration_date`
 * compute exactly the same lines. The bounds keep every value a valid JavaScript Date and a
 * Postgres timestamptz (1970-01-01T00:00:01Z … 9999-12-31T23:59:59Z).
 */
export const UNIX_TIME_MIN = 1;
export const UNIX_TIME_MAX = 253_402_300_799;

/** ISO 8601 with a date, a time and an explicit zone (`Z` or `±hh:mm`); no fractions of a second. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(\.0+)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 string as Unix seconds, or the value unchanged when it is not one (the check then names it). */
export function isoToUnixSeconds(value: unknown): unknown {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value)) return value;
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) return value;
  // Date.parse rolls "2026-02-30" over to March: refuse dates that do not exist.
  const [year, month, day] = value.slice(0, 10).split('-').map(Number);
  const local = new Date(Date.UTC(year, month - 1, day));
  if (local.getUTCFullYear() !== year || local.getUTCMonth() !== month - 1 || local.getUTCDate() !== day)
    return value;
  return ms / 1000;
}

/** A Unix time in whole seconds, a JSON integer (query strings are converted by the caller's @Type). */
export function IsUnixTime(): PropertyDecorator {
  return (target, propertyKey) => {
    IsInt({ message: '$property must be a Unix timestamp in whole seconds' })(target, propertyKey);
    Min(UNIX_TIME_MIN, { message: '$property must be a Unix timestamp in whole seconds after 1970' })(
      target,
      propertyKey,
    );
    Max(UNIX_TIME_MAX, { message: '$property must be a Unix timestamp before year 10000' })(
      target,
      propertyKey,
    );
  };
}

/**
 * A Unix time in whole seconds (Stripe's form), or an ISO 8601 UTC/offset string, which is
 * converted to Unix seconds here: what the service behind receives is always an integer.
 */
export function IsUnixTimeOrIso(): PropertyDecorator {
  return (target, propertyKey) => {
    Transform(({ value }) => isoToUnixSeconds(value))(target, propertyKey);
    IsInt({ message: '$property must be a Unix timestamp in whole seconds or an ISO 8601 time with a zone' })(
      target,
      propertyKey,
    );
    Min(UNIX_TIME_MIN, { message: '$property must be after 1970-01-01T00:00:00Z' })(target, propertyKey);
    Max(UNIX_TIME_MAX, { message: '$property must be before year 10000' })(target, propertyKey);
  };
}
