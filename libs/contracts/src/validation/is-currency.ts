import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';
import { isCurrencyCode } from '../currencies';

export const IS_CURRENCY = 'isCurrency';

/**
 * An active ISO 4217 code in its canonical upper case. Contracts carry normalized values only:
 * the gateway accepts any case and normalizes at the edge (`normalizeCurrency`), so a lower-case
 * code inside an event means a producer skipped that step.
 */
export function IsCurrency(validationOptions?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: IS_CURRENCY,
      validator: {
        validate: (value: unknown) =>
          typeof value === 'string' && value === value.toUpperCase() && isCurrencyCode(value),
        defaultMessage: buildMessage(
          (eachPrefix) => `${eachPrefix}$property must be an upper-case ISO 4217 currency code`,
          validationOptions,
        ),
      },
    },
    validationOptions,
  );
}
