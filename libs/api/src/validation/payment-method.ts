import { IsString, Matches, MaxLength } from 'class-validator';

/**
 * A payment method token (`pm_card_visa`, `pm_…` from a PSP's vault), never card data: requiring
 * the prefix means a card number pasted by mistake is refused instead of stored and logged.
 */
export const PAYMENT_METHOD_PATTERN = /^pm_[A-Za-z0-9_]+$/;

export function IsPaymentMethodToken(): PropertyDecorator {
  return (target, propertyKey) => {
    IsString({ message: '$property must be a string' })(target, propertyKey);
    MaxLength(255, { message: '$property must be at most 255 characters' })(target, propertyKey);
    Matches(PAYMENT_METHOD_PATTERN, {
      message: '$property must be a payment method token starting with "pm_"',
    })(target, propertyKey);
  };
}
