import { ValidateBy, type ValidationOptions } from 'class-validator';

export const METADATA_MAX_KEYS = 50;
export const METADATA_MAX_KEY_LENGTH = 40;
export const METADATA_MAX_VALUE_LENGTH = 500;

/** Why `value` is not valid merchant metadata, or null when it is. */
export function metadataProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be an object of string values';
  const entries = Object.entries(value);
  if (entries.length > METADATA_MAX_KEYS) return `may have at most ${METADATA_MAX_KEYS} keys`;
  for (const [key, entry] of entries) {
    if (key.length === 0 || key.length > METADATA_MAX_KEY_LENGTH) {
      return `keys must be 1 to ${METADATA_MAX_KEY_LENGTH} characters (got "${key.slice(0, 60)}")`;
    }
    if (typeof entry !== 'string') return `value of "${key}" must be a string`;
    if (entry.length > METADATA_MAX_VALUE_LENGTH)
      return `value of "${key}" must be at most ${METADATA_MAX_VALUE_LENGTH} characters`;
  }
  return null;
}

/**
 * Merchant metadata (API.md): up to 50 string keys of at most 40 characters, each with a string
 * value of at most 500. class-validator has no rule for the entries of a free-form map, hence this.
 */
export function IsMetadata(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isMetadata',
      validator: {
        validate: (value: unknown) => metadataProblem(value) === null,
        defaultMessage: (args) => `${args?.property ?? 'metadata'} ${metadataProblem(args?.value)}`,
      },
    },
    validationOptions,
  );
}
