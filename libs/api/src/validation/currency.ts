import { Transform } from 'class-transformer';
import { IsCurrency } from '@payflow/contracts';

/**
 * An ISO 4217 code in any case ("usd"), normalized to upper case before it is checked against the
 * one currency table of libs/contracts. A non-string is left as it came, so the check names it.
 */
export function IsRequestCurrency(): PropertyDecorator {
  return (target, propertyKey) => {
    IsCurrency({ message: '$property must be a supported ISO 4217 currency code' })(target, propertyKey);
    Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))(target, propertyKey);
  };
}
