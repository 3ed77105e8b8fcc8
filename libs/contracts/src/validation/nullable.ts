import { ValidateIf } from 'class-validator';

/**
 * The property must be present; `null` is accepted and skips its other rules.
 *
 * Unlike `@IsOptional()` (which also lets `undefined` through) this keeps `T | null` fields
 * required, so a producer that forgets a field is caught instead of silently read as null.
 */
export function IsNullable(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== null);
}
