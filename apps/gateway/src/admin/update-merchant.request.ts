import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { BPS_DENOMINATOR, MAX_AMOUNT_MINOR } from '@payflow/contracts';
import { IsFeeFixedMap } from './create-merchant.request';

/**
 * `POST /admin/merchants/{id}`: only the fields given change (Stripe's update). `fee_fixed: null`
 * returns the merchant to the platform's default fixed fees. The new schedule applies to payments
 * from then on: intents learns it from `merchant.updated`.
 */
export class UpdateMerchantRequest {
  @ApiPropertyOptional({ example: 'Acme Inc.', minLength: 1, maxLength: 200 })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Length(1, 200, { message: '$property must be 1 to 200 characters' })
  @Matches(/\S/, { message: '$property must not be blank' })
  name?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: BPS_DENOMINATOR, description: 'Basis points' })
  @IsOptional()
  @IsInt({ message: '$property must be an integer number of basis points' })
  @Min(0, { message: '$property must be at least 0' })
  @Max(BPS_DENOMINATOR, { message: `$property must be at most ${BPS_DENOMINATOR}` })
  fee_bps?: number;

  @ApiPropertyOptional({
    type: 'object',
    nullable: true,
    additionalProperties: { type: 'integer', minimum: 0, maximum: MAX_AMOUNT_MINOR },
    example: { USD: 30, EUR: 25 },
    description:
      'Replaces the fixed fees (none in a currency it does not name); `null` returns to the default (30 in every currency of exponent 2, 0 in the others)',
  })
  @IsOptional()
  @IsFeeFixedMap()
  fee_fixed?: Record<string, number> | null;
}
