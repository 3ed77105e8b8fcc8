import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata through it
import { Type } from 'class-transformer';
import {
  Equals,
  IsArray,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsSafeNonNegativeInteger } from '../../validation/amounts';
import { IsCurrency } from '../../validation/is-currency';
import { IsPrefixedId } from '../../validation/is-prefixed-id';
import { IsStringRecord } from '../../validation/is-string-record';
import { IsTimestamp } from '../../validation/is-timestamp';
import { IsNullable } from '../../validation/nullable';

/**
 * The public billing objects exactly as merchants see them (API.md, "Subscriptions and invoices").
 * Every `invoice.*` event carries the invoice whole, every `subscription.*` event the subscription,
 * so the webhooks service builds merchant events and dunning reads invoices without billing's tables.
 */

export const PRICE_INTERVALS = ['day', 'week', 'month', 'year'] as const;
export type PriceInterval = (typeof PRICE_INTERVALS)[number];

export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'unpaid',
  'canceled',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

export const INVOICE_STATUSES = ['draft', 'open', 'paid', 'uncollectible', 'void'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export const INVOICE_LINE_TYPES = ['subscription', 'proration'] as const;
export type InvoiceLineType = (typeof INVOICE_LINE_TYPES)[number];

export const PRORATION_BEHAVIORS = ['create_prorations', 'always_invoice', 'none'] as const;
export type ProrationBehavior = (typeof PRORATION_BEHAVIORS)[number];

export const TEST_CLOCK_STATUSES = ['ready', 'advancing'] as const;
export type TestClockStatus = (typeof TEST_CLOCK_STATUSES)[number];

export class RecurringObject {
  @IsIn(PRICE_INTERVALS)
  interval!: PriceInterval;

  @IsInt()
  @Min(1)
  @Max(12)
  interval_count!: number;
}

export class PriceObject {
  @IsPrefixedId('price')
  id!: string;

  @Equals('price')
  object!: 'price';

  @IsCurrency()
  currency!: string;

  @IsSafeNonNegativeInteger()
  unit_amount!: number;

  @IsObject()
  @ValidateNested()
  @Type(() => RecurringObject)
  recurring!: RecurringObject;

  @IsNullable()
  @IsString()
  nickname!: string | null;

  @IsBoolean()
  active!: boolean;

  @IsTimestamp()
  created!: string;
}

export class CustomerObject {
  @IsPrefixedId('cus')
  id!: string;

  @Equals('customer')
  object!: 'customer';

  @IsNullable()
  @IsEmail()
  email!: string | null;

  @IsNullable()
  @IsString()
  name!: string | null;

  /** A test card `pm_…`, or null until the merchant gives one. */
  @IsNullable()
  @IsString()
  payment_method!: string | null;

  @IsNullable()
  @IsPrefixedId('clock')
  test_clock!: string | null;

  /** Per currency, in minor units: negative is credit (Stripe's convention). */
  @IsObject()
  balance!: Record<string, number>;

  @IsObject()
  @IsStringRecord()
  metadata!: Record<string, string>;

  @IsTimestamp()
  created!: string;
}

export class SubscriptionItemObject {
  @IsPrefixedId('price')
  price!: string;

  @IsInt()
  @Min(1)
  quantity!: number;
}

export class SubscriptionObject {
  @IsPrefixedId('sub')
  id!: string;

  @Equals('subscription')
  object!: 'subscription';

  @IsPrefixedId('cus')
  customer!: string;

  @IsIn(SUBSCRIPTION_STATUSES)
  status!: SubscriptionStatus;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => SubscriptionItemObject)
  items!: SubscriptionItemObject[];

  @IsTimestamp()
  billing_cycle_anchor!: string;

  @IsTimestamp()
  current_period_start!: string;

  @IsTimestamp()
  current_period_end!: string;

  @IsNullable()
  @IsTimestamp()
  trial_end!: string | null;

  @IsBoolean()
  cancel_at_period_end!: boolean;

  @IsNullable()
  @IsTimestamp()
  canceled_at!: string | null;

  @IsNullable()
  @IsPrefixedId('in')
  latest_invoice!: string | null;

  @IsTimestamp()
  created!: string;
}

export class InvoiceLinePeriodObject {
  @IsTimestamp()
  start!: string;

  @IsTimestamp()
  end!: string;
}

export class InvoiceLineObject {
  /** `il_` + a hash of (subscription, period, kind, stream version): the same on every regeneration. */
  @IsPrefixedId('il')
  id!: string;

  @IsIn(INVOICE_LINE_TYPES)
  type!: InvoiceLineType;

  @IsString()
  description!: string;

  @IsPrefixedId('price')
  price!: string;

  @IsInt()
  quantity!: number;

  /** Signed: credits are negative. */
  @IsInt()
  amount!: number;

  @IsObject()
  @ValidateNested()
  @Type(() => InvoiceLinePeriodObject)
  period!: InvoiceLinePeriodObject;
}

export class InvoiceObject {
  @IsPrefixedId('in')
  id!: string;

  @Equals('invoice')
  object!: 'invoice';

  /** Null until finalization, then `<invoice_prefix>-000001` (or `TEST-…` on a test clock). */
  @IsNullable()
  @IsString()
  number!: string | null;

  @IsPrefixedId('cus')
  customer!: string;

  @IsNullable()
  @IsPrefixedId('sub')
  subscription!: string | null;

  @IsIn(INVOICE_STATUSES)
  status!: InvoiceStatus;

  @IsCurrency()
  currency!: string;

  @IsArray()
  @ValidateNested({ each: true })
  @Type(() => InvoiceLineObject)
  lines!: InvoiceLineObject[];

  @IsInt()
  subtotal!: number;

  /** The customer's balance in this currency before this invoice (negative is credit). */
  @IsInt()
  starting_balance!: number;

  @IsInt()
  total!: number;

  @IsSafeNonNegativeInteger()
  amount_due!: number;

  @IsSafeNonNegativeInteger()
  amount_paid!: number;

  @IsSafeNonNegativeInteger()
  attempt_count!: number;

  @IsNullable()
  @IsTimestamp()
  next_payment_attempt!: string | null;

  @IsNullable()
  @IsPrefixedId('pi')
  payment_intent!: string | null;

  @IsTimestamp()
  period_start!: string;

  @IsTimestamp()
  period_end!: string;

  @IsTimestamp()
  created!: string;

  @IsNullable()
  @IsTimestamp()
  finalized_at!: string | null;

  @IsNullable()
  @IsTimestamp()
  paid_at!: string | null;
}

export class TestClockObject {
  @IsPrefixedId('clock')
  id!: string;

  @Equals('test_clock')
  object!: 'test_clock';

  @IsNullable()
  @IsString()
  name!: string | null;

  @IsTimestamp()
  frozen_time!: string;

  @IsIn(TEST_CLOCK_STATUSES)
  status!: TestClockStatus;

  @IsTimestamp()
  created!: string;
}
