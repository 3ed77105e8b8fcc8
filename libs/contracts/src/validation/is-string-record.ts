import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

export const IS_STRING_RECORD = 'isStringRecord';

/**
 * A plain object whose values are all strings (merchant `metadata`). class-validator has no rule
 * for the values of a free-form map, and nested validation cannot apply to arbitrary keys.
 */
export function IsStringRecord(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_STRING_RECORD,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.values(value).every((entry) => typeof entry === 'string'),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be an object of string values`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
