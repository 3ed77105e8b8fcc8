import { IsInt, Max, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '@payflow/contracts';

/**
 * A chargeable amount in minor units: a JSON integer from 1 to 99,999,999 (API.md). No implicit
 * conversion happens before it, so the string "100" is refused like any other wrong type.
 */
export function IsRequestAmount(): PropertyDecorator {
  return (target, propertyKey) => {
    IsInt({ message: '$property must be an integer number of minor units' })(target, propertyKey);
    Min(1, { message: '$property must be at least 1' })(target, propertyKey);
    Max(MAX_AMOUNT_MINOR, { message: `$property must be at most ${MAX_AMOUNT_MINOR}` })(target, propertyKey);
  };
}
