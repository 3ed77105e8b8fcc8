import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '@payflow/contracts';
import { IsRequestAmount } from '../validation/amount';

/** `POST /v1/payment_intents/{id}/refund`. */
export class RefundRequest {
  @ApiPropertyOptional({
    description: 'Amount to refund in minor units (default: what is left to refund)',
    type: 'integer',
    minimum: 1,
    maximum: MAX_AMOUNT_MINOR,
  })
  @IsOptional()
  @IsRequestAmount()
  amount?: number;

  @ApiPropertyOptional({
    description: 'Why the payment is refunded',
    maxLength: 500,
    example: 'requested_by_customer',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(500, { message: '$property must be at most 500 characters' })
  reason?: string;
}
