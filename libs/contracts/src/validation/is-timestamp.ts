import { buildMessage, isISO8601, ValidateBy, type ValidationOptions } from 'class-validator';

export const IS_TIMESTAMP = 'isTimestamp';

// A full instant: date, time and an explicit offset. ISO 8601 alone also admits "2026-01-01" or a
// local time without offset, which different consumers would read as different instants.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** True for an ISO 8601 / RFC 3339 instant such as `2026-03-01T12:00:00.000Z`. */
export function isTimestamp(value: unknown): value is string {
  // `strict` also rejects impossible calendar dates such as February 30.
  return typeof value === 'string' && INSTANT.test(value) && isISO8601(value, { strict: true });
}

/** An ISO 8601 instant with date, time and offset (what `Date#toISOString()` produces). */
export function IsTimestamp(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_TIMESTAMP,
      validator: {
        validate: (value: unknown) => isTimestamp(value),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be an ISO 8601 timestamp with time and offset`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
