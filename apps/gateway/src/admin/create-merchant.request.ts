import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateBy } from 'class-validator';
import { BPS_DENOMINATOR, MAX_AMOUNT_MINOR, isCurrencyCode } from '@payflow/contracts';

/** Why `value` is not a fixed-fee map (ISO 4217 code → whole minor units ≥ 0), or null when it is. */
export function feeFixedProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return 'must be an object of currency codes to minor units';
  const seen = new Set<string>();
  for (const [code, amount] of Object.entries(value)) {
    if (!isCurrencyCode(code)) return `has "${code.slice(0, 16)}", which is not an ISO 4217 currency code`;
    const upper = code.toUpperCase();
    if (seen.has(upper)) return `names ${upper} twice`;
    seen.add(upper);
    if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 0 || amount > MAX_AMOUNT_MINOR) {
      return `must give ${upper} a whole number of minor units from 0 to ${MAX_AMOUNT_MINOR}`;
    }
  }
  return null;
}

export function IsFeeFixedMap(): PropertyDecorator {
  return ValidateBy({
    name: 'isFeeFixedMap',
    validator: {
      validate: (value: unknown) => feeFixedProblem(value) === null,
      defaultMessage: (args) => `fee_fixed ${feeFixedProblem(args?.value)}`,
    },
  });
}

/** `POST /admin/merchants`. */
export class CreateMerchantRequest {
  @ApiProperty({ example: 'Acme Inc.', minLength: 1, maxLength: 200 })
  @IsString({ message: '$property must be a string' })
  @Length(1, 200, { message: '$property must be 1 to 200 characters' })
  @Matches(/\S/, { message: '$property must not be blank' })
  name!: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: BPS_DENOMINATOR,
    default: 290,
    description: 'Proportional fee in basis points',
  })
  @IsOptional()
  @IsInt({ message: '$property must be an integer number of basis points' })
  @Min(0, { message: '$property must be at least 0' })
  @Max(BPS_DENOMINATOR, { message: `$property must be at most ${BPS_DENOMINATOR}` })
  fee_bps?: number;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 0, maximum: MAX_AMOUNT_MINOR },
    example: { USD: 30, EUR: 25 },
    description:
      'Fixed fee per ISO 4217 currency (any case), in minor units. Omitted: the default, 30 in every currency of exponent 2 and 0 in the others. ' +
      'Given: these fees, and none in a currency it does not name.',
  })
  @IsOptional()
  @IsFeeFixedMap()
  fee_fixed?: Record<string, number>;
}
