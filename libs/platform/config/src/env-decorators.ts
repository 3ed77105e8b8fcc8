import { Transform } from 'class-transformer';

/**
 * Environment variables are strings; these turn them into typed values before validation, and leave
 * malformed input malformed (NaN, the raw string) so the validator names the variable.
 */
export function EnvInt(): PropertyDecorator {
  return Transform(({ value }) => (value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value));
}

export function EnvBool(): PropertyDecorator {
  return Transform(({ value }) => {
    if (value === undefined || value === '') return undefined;
    if (value === true || value === 'true' || value === '1') return true;
    if (value === false || value === 'false' || value === '0') return false;
    return value;
  });
}
