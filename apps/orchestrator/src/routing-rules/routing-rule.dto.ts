import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateIf,
} from 'class-validator';
import { IsCurrency, MAX_AMOUNT_MINOR, PROVIDERS, type Provider } from '@payflow/contracts';

/**
 * A routing rule as the admin API takes it (create, or a full replacement on update). Optional
 * conditions left out (or null) match everything. Amounts are minor units of the rule's currency.
 */
export class RoutingRuleRequest {
  @IsString()
  @Matches(/^mer_[A-Za-z0-9]{1,64}$/, { message: 'merchant_id must be a merchant id (mer_…)' })
  merchant_id!: string;

  /** Lower runs first. */
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  priority!: number;

  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /** Any case, as the public API takes currencies; stored upper case. */
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value))
  @ValidateIf((_, value) => value !== null)
  @IsCurrency()
  currency?: string | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  min_amount?: number | null;

  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsInt()
  @Min(1)
  @Max(MAX_AMOUNT_MINOR)
  max_amount?: number | null;

  /** As derived from the payment method token: `visa`, `mastercard`, `amex`, … */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @Matches(/^[a-z]{2,20}$/, {
    message: 'card_brand must be a lower-case brand name such as visa or mastercard',
  })
  card_brand?: string | null;

  /** Preference order; only these providers are used when the rule matches. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PROVIDERS.length)
  @ArrayUnique()
  @IsIn(PROVIDERS, { each: true })
  providers!: Provider[];

  /** Volume split, one weight per provider (e.g. [70, 30]). */
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsArray()
  @IsInt({ each: true })
  @Min(0, { each: true })
  @Max(10_000, { each: true })
  weights?: number[] | null;
}

export class ListRoutingRulesQuery {
  @IsOptional()
  @IsString()
  merchant_id?: string;
}
