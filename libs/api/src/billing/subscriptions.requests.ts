import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import {
  PRORATION_BEHAVIORS,
  SUBSCRIPTION_STATUSES,
  type ProrationBehavior,
  type SubscriptionStatus,
} from '@payflow/contracts';
import { CUSTOMER_ID_PATTERN, PRICE_ID_PATTERN, SUBSCRIPTION_ID_PATTERN } from './billing-ids';
import { BillingPageQuery } from './page.query';
import { IsUnixTime, IsUnixTimeOrIso } from './unix-time';

export const SUBSCRIPTION_ITEMS_MAX = 20;
export const SUBSCRIPTION_ITEM_QUANTITY_MAX = 100_000;
export const TRIAL_PERIOD_DAYS_MAX = 730;

/** One item of a subscription: a price and how many of it (Stripe's `items[i][price|quantity]`). */
export class SubscriptionItemRequest {
  @ApiProperty({ example: 'price_1a2b3c4d5e6f7a8b9c0d1e2f' })
  @IsString({ message: '$property must be a string' })
  @Matches(PRICE_ID_PATTERN, { message: '$property must be a price id (price_…)' })
  price!: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SUBSCRIPTION_ITEM_QUANTITY_MAX, default: 1 })
  @Transform(({ value }) => (value === null ? 1 : value)) // null is "not given", as absent
  @IsOptional()
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(SUBSCRIPTION_ITEM_QUANTITY_MAX, {
    message: `$property must be at most ${SUBSCRIPTION_ITEM_QUANTITY_MAX}`,
  })
  quantity = 1;
}

/**
 * `items`: 1 to 20 items, each price at most once (Stripe refuses a price twice on a subscription).
 * The items' prices must share one currency and one interval: billing checks that, it knows them.
 */
function IsSubscriptionItems(): PropertyDecorator {
  return (target, propertyKey) => {
    IsArray({ message: '$property must be an array of {price, quantity}' })(target, propertyKey);
    ArrayMinSize(1, { message: '$property must have at least 1 item' })(target, propertyKey);
    ArrayMaxSize(SUBSCRIPTION_ITEMS_MAX, {
      message: `$property must have at most ${SUBSCRIPTION_ITEMS_MAX} items`,
    })(target, propertyKey);
    ArrayUnique((item: unknown) => (item as { price?: unknown } | null)?.price, {
      message: '$property must not name a price twice',
    })(target, propertyKey);
    ValidateNested({ each: true })(target, propertyKey);
    Type(() => SubscriptionItemRequest)(target, propertyKey);
  };
}

const ITEMS_DOC = {
  type: () => [SubscriptionItemRequest],
  minItems: 1,
  maxItems: SUBSCRIPTION_ITEMS_MAX,
  description: 'Prices of one currency and one interval, each at most once',
} as const;

/** `POST /v1/subscriptions` (API.md). */
export class CreateSubscriptionRequest {
  @ApiProperty({ example: 'cus_1a2b3c4d5e6f7a8b9c0d1e2f' })
  @IsString({ message: '$property must be a string' })
  @Matches(CUSTOMER_ID_PATTERN, { message: '$property must be a customer id (cus_…)' })
  customer!: string;

  @ApiProperty(ITEMS_DOC)
  @IsDefined({ message: '$property is required' })
  @IsSubscriptionItems()
  items!: SubscriptionItemRequest[];

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: TRIAL_PERIOD_DAYS_MAX,
    description: 'Days of free trial from now (the customer’s clock); nothing is billed until it ends',
  })
  @IsOptional()
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(TRIAL_PERIOD_DAYS_MAX, { message: `$property must be at most ${TRIAL_PERIOD_DAYS_MAX}` })
  trial_period_days?: number;

  @ApiPropertyOptional({
    oneOf: [{ type: 'integer' }, { type: 'string', format: 'date-time' }],
    description:
      'When periods start: Unix seconds (Stripe) or an ISO 8601 time with a zone, forwarded as Unix seconds. Default: now, or the trial end',
    example: 1767225600,
  })
  @IsOptional()
  @IsUnixTimeOrIso()
  billing_cycle_anchor?: number;
}

/** How prorations of a change are billed, and as of when (shared by the change and its preview). */
abstract class ProrationOptions {
  @ApiPropertyOptional({
    enum: PRORATION_BEHAVIORS,
    default: 'create_prorations',
    description:
      '`create_prorations`: proration lines on the next invoice; `always_invoice`: invoiced and charged now; `none`: no proration',
  })
  @IsOptional()
  @IsIn(PRORATION_BEHAVIORS, { message: `$property must be one of ${PRORATION_BEHAVIORS.join(', ')}` })
  proration_behavior?: ProrationBehavior;

  @ApiPropertyOptional({
    type: 'integer',
    description:
      'Unix seconds the change is prorated as of (default: now on the customer’s clock); pass the one a preview used to be charged exactly what it showed',
    example: 1767225600,
  })
  @IsOptional()
  @IsUnixTime()
  proration_date?: number;
}

/**
 * `POST /v1/subscriptions/{id}`: `items` replaces the subscription's items (PayFlow's items have no
 * ids of their own, so the list given is the new list). `cancel_at_period_end: false` takes back a
 * cancellation scheduled for the period end (Stripe's way); `true` schedules one.
 */
export class UpdateSubscriptionRequest extends ProrationOptions {
  @ApiPropertyOptional(ITEMS_DOC)
  @IsOptional()
  @IsSubscriptionItems()
  items?: SubscriptionItemRequest[];

  @ApiPropertyOptional({
    description: 'Schedule (true) or take back (false) a cancellation at the period end',
  })
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  cancel_at_period_end?: boolean;
}

/** `POST /v1/subscriptions/{id}/cancel` (Stripe's cancel options). */
export class CancelSubscriptionRequest {
  @ApiPropertyOptional({
    default: false,
    description: 'Cancel at the end of the current period instead of now',
  })
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  at_period_end?: boolean;

  @ApiPropertyOptional({ default: false, description: 'Credit the unused time of the current period' })
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  prorate?: boolean;

  @ApiPropertyOptional({
    default: false,
    description: 'Invoice what is pending (prorations included) now, on a final invoice',
  })
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  invoice_now?: boolean;
}

/** `GET /v1/subscriptions?customer&status`: newest first. */
export class ListSubscriptionsQuery extends BillingPageQuery {
  @ApiPropertyOptional({
    description: 'Subscriptions created before this one (an id of the previous page)',
    example: 'sub_1a2b',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(SUBSCRIPTION_ID_PATTERN, { message: '$property must be a subscription id (sub_…)' })
  starting_after?: string;

  @ApiPropertyOptional({ description: 'Only this customer’s subscriptions', example: 'cus_1a2b' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(CUSTOMER_ID_PATTERN, { message: '$property must be a customer id (cus_…)' })
  customer?: string;

  @ApiPropertyOptional({ description: 'Only subscriptions in this status', enum: SUBSCRIPTION_STATUSES })
  @IsOptional()
  @IsIn(SUBSCRIPTION_STATUSES, { message: `$property must be one of ${SUBSCRIPTION_STATUSES.join(', ')}` })
  status?: SubscriptionStatus;
}
