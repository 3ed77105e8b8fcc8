import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PAYMENT_INTENT_STATUSES, type PaymentIntentStatus } from '@payflow/contracts';

/** `GET /v1/payment_intents` query: newest first, cursor pagination (Stripe's). */
export class ListPaymentIntentsQuery {
  // Query strings are strings: converted to a number here, then still refused unless a whole
  // number in range ("abc" becomes NaN and "1.5" stays fractional, both fail @IsInt).
  @ApiPropertyOptional({ description: 'Page size', type: 'integer', minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(100, { message: '$property must be at most 100' })
  limit = 10;

  @ApiPropertyOptional({
    description: 'Return intents created before this intent (an id of the previous page)',
    example: 'pi_3f9a1c',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(/^pi_[A-Za-z0-9]{1,64}$/, { message: '$property must be a payment intent id (pi_…)' })
  starting_after?: string;

  @ApiPropertyOptional({ description: 'Only intents in this status', enum: PAYMENT_INTENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_INTENT_STATUSES, {
    message: `$property must be one of ${PAYMENT_INTENT_STATUSES.join(', ')}`,
  })
  status?: PaymentIntentStatus;
}
