import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { CURRENCY_CODES, MAX_AMOUNT_MINOR, PRICE_INTERVALS, type PriceInterval } from '@payflow/contracts';
import { IsRequestCurrency } from '../validation/currency';
import { PRICE_ID_PATTERN } from './billing-ids';
import { BillingPageQuery } from './page.query';

export const PRICE_NICKNAME_MAX_LENGTH = 255;
export const INTERVAL_COUNT_MAX = 12;

/**
 * Whether `interval` × `interval_count` stays within three years (API.md; Stripe: 3 years, 36 months,
 * 156 weeks). With `interval_count` at most 12 only years can pass it.
 */
export function withinThreeYears(interval: PriceInterval, intervalCount: number): boolean {
  const limit: Record<PriceInterval, number> = { day: 1095, week: 156, month: 36, year: 3 };
  return intervalCount <= limit[interval];
}

/** `recurring` of `POST /v1/prices` (Stripe's shape): how often the price is billed. */
export class PriceRecurringRequest {
  @ApiProperty({ enum: PRICE_INTERVALS, example: 'month' })
  @IsIn(PRICE_INTERVALS, { message: `$property must be one of ${PRICE_INTERVALS.join(', ')}` })
  interval!: PriceInterval;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: INTERVAL_COUNT_MAX,
    default: 1,
    description: 'Intervals between two bills; the whole period is at most 3 years (so at most 3 for `year`)',
  })
  @IsOptional()
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(INTERVAL_COUNT_MAX, { message: `$property must be at most ${INTERVAL_COUNT_MAX}` })
  @ValidateBy({
    name: 'withinThreeYears',
    validator: {
      validate: (value: unknown, args) => {
        const interval = (args?.object as { interval?: unknown }).interval;
        if (typeof value !== 'number' || !(PRICE_INTERVALS as readonly unknown[]).includes(interval))
          return true;
        return withinThreeYears(interval as PriceInterval, value);
      },
      defaultMessage: () => 'interval_count times interval must be at most 3 years',
    },
  })
  interval_count = 1;
}

/** `POST /v1/prices`: a recurring price; immutable afterwards but for `nickname` and `active`. */
export class CreatePriceRequest {
  @ApiProperty({
    description: 'ISO 4217 code, any case; returned upper case',
    enum: CURRENCY_CODES,
    example: 'USD',
  })
  @IsRequestCurrency()
  currency!: string;

  @ApiProperty({
    description: 'Amount per unit and period in minor units of the currency (0 for a free price)',
    type: 'integer',
    minimum: 0,
    maximum: MAX_AMOUNT_MINOR,
    example: 2000,
  })
  @IsInt({ message: '$property must be an integer number of minor units' })
  @Min(0, { message: '$property must be at least 0' })
  @Max(MAX_AMOUNT_MINOR, { message: `$property must be at most ${MAX_AMOUNT_MINOR}` })
  unit_amount!: number;

  @ApiProperty({ type: () => PriceRecurringRequest })
  @IsDefined({ message: '$property is required' })
  @IsObject({ message: '$property must be an object with interval and interval_count' })
  @ValidateNested()
  @Type(() => PriceRecurringRequest)
  recurring!: PriceRecurringRequest;

  @ApiPropertyOptional({ maxLength: PRICE_NICKNAME_MAX_LENGTH, example: 'Pro monthly' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(PRICE_NICKNAME_MAX_LENGTH, {
    message: `$property must be at most ${PRICE_NICKNAME_MAX_LENGTH} characters`,
  })
  nickname?: string;

  @ApiPropertyOptional({
    default: true,
    description: 'Inactive prices cannot be used for new subscriptions or changes',
  })
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  active = true;
}

/** `POST /v1/prices/{id}`: only `nickname` and `active` can change (an empty nickname clears it). */
export class UpdatePriceRequest {
  @ApiPropertyOptional({ maxLength: PRICE_NICKNAME_MAX_LENGTH })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(PRICE_NICKNAME_MAX_LENGTH, {
    message: `$property must be at most ${PRICE_NICKNAME_MAX_LENGTH} characters`,
  })
  nickname?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  active?: boolean;
}

/** `GET /v1/prices`: newest first. */
export class ListPricesQuery extends BillingPageQuery {
  @ApiPropertyOptional({
    description: 'Prices created before this one (an id of the previous page)',
    example: 'price_1a2b',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(PRICE_ID_PATTERN, { message: '$property must be a price id (price_…)' })
  starting_after?: string;
}
