import { Equals, IsIn, IsString } from 'class-validator';
import { IsAmountMinor } from '../validation/amounts';
import { IsCurrency } from '../validation/is-currency';
import { IsPrefixedId } from '../validation/is-prefixed-id';
import { IsTimestamp } from '../validation/is-timestamp';
import { IsNullable } from '../validation/nullable';

/** A refund is `pending` until the PSP settles it; only then `succeeded` or `failed`. */
export const REFUND_STATUSES = ['pending', 'succeeded', 'failed'] as const;

export type RefundStatus = (typeof REFUND_STATUSES)[number];

/**
 * The public refund (API.md), carried whole by every `refund.*` event. Refunds are objects of
 * their own, several partial ones per intent, so they have their own lifecycle and events.
 */
export class RefundObject {
  @IsPrefixedId('re')
  id!: string;

  @Equals('refund')
  object!: 'refund';

  /** The id of the payment intent refunded. */
  @IsPrefixedId('pi')
  payment_intent!: string;

  @IsAmountMinor()
  amount!: number;

  @IsCurrency()
  currency!: string;

  @IsIn(REFUND_STATUSES)
  status!: RefundStatus;

  @IsNullable()
  @IsString()
  reason!: string | null;

  @IsTimestamp()
  created!: string;
}
