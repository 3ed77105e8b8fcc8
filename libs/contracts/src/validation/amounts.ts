import { IsInt, Max, Min } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '../money';
import { composeDecorators } from './compose';

/** A chargeable amount in minor units: an integer from 1 to `MAX_AMOUNT_MINOR` (API.md). */
export function IsAmountMinor(): PropertyDecorator {
  return composeDecorators(IsInt(), Min(1), Max(MAX_AMOUNT_MINOR));
}

/**
 * A derived amount in minor units that may be zero (`amount_refunded`, a fee, a zero posting),
 * still bounded by what one payment can carry.
 */
export function IsNonNegativeAmountMinor(): PropertyDecorator {
  return composeDecorators(IsInt(), Min(0), Max(MAX_AMOUNT_MINOR));
}

/**
 * A non-negative integer that must stay exact as a JavaScript number. Sums beyond 2^53 travel as
 * strings or bigint (DESIGN.md); a single value in an event never gets near that.
 */
export function IsSafeNonNegativeInteger(): PropertyDecorator {
  return composeDecorators(IsInt(), Min(0), Max(Number.MAX_SAFE_INTEGER));
}
