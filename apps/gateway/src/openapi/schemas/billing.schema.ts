import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  INVOICE_LINE_TYPES,
  INVOICE_STATUSES,
  PRICE_INTERVALS,
  SUBSCRIPTION_STATUSES,
  TEST_CLOCK_STATUSES,
} from '@payflow/contracts';
import { DUNNING_FINAL_ACTIONS } from '@payflow/api';

/**
 * The billing objects of API.md ("Subscriptions and invoices") for the OpenAPI document. Billing
 * answers them (libs/contracts' billing objects are the checked form); this is their description.
 */

@ApiSchema({ name: 'Customer' })
export class CustomerSchema {
  @ApiProperty({ example: 'cus_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['customer'] })
  object!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'jenny@example.com' })
  email!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'Jenny Rosen' })
  name!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'pm_card_visa' })
  payment_method!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null, description: 'The test clock it lives on' })
  test_clock!: string | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'integer' },
    example: { USD: -500 },
    description: 'Per currency, minor units; negative is credit applied to the next invoices',
  })
  balance!: Record<string, number>;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  metadata!: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  created!: string;
}

@ApiSchema({ name: 'PriceRecurring' })
export class PriceRecurringSchema {
  @ApiProperty({ enum: PRICE_INTERVALS })
  interval!: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: 12 })
  interval_count!: number;
}

@ApiSchema({ name: 'Price' })
export class PriceSchema {
  @ApiProperty({ example: 'price_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['price'] })
  object!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: 'integer', example: 2000 })
  unit_amount!: number;

  @ApiProperty({ type: () => PriceRecurringSchema })
  recurring!: PriceRecurringSchema;

  @ApiProperty({ type: 'string', nullable: true })
  nickname!: string | null;

  @ApiProperty()
  active!: boolean;

  @ApiProperty({ format: 'date-time' })
  created!: string;
}

@ApiSchema({ name: 'SubscriptionItem' })
export class SubscriptionItemSchema {
  @ApiProperty({ example: 'price_1a2b3c4d5e6f7a8b9c0d1e2f' })
  price!: string;

  @ApiProperty({ type: 'integer', example: 1 })
  quantity!: number;
}

@ApiSchema({ name: 'Subscription' })
export class SubscriptionSchema {
  @ApiProperty({ example: 'sub_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['subscription'] })
  object!: string;

  @ApiProperty({ example: 'cus_1a2b3c4d5e6f7a8b9c0d1e2f' })
  customer!: string;

  @ApiProperty({ enum: SUBSCRIPTION_STATUSES })
  status!: string;

  @ApiProperty({ type: () => [SubscriptionItemSchema] })
  items!: SubscriptionItemSchema[];

  @ApiProperty({ format: 'date-time' })
  billing_cycle_anchor!: string;

  @ApiProperty({ format: 'date-time' })
  current_period_start!: string;

  @ApiProperty({ format: 'date-time' })
  current_period_end!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  trial_end!: string | null;

  @ApiProperty()
  cancel_at_period_end!: boolean;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  canceled_at!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'in_1a2b3c4d5e6f7a8b9c0d1e2f' })
  latest_invoice!: string | null;

  @ApiProperty({ format: 'date-time' })
  created!: string;
}

@ApiSchema({ name: 'InvoiceLinePeriod' })
export class InvoiceLinePeriodSchema {
  @ApiProperty({ format: 'date-time' })
  start!: string;

  @ApiProperty({ format: 'date-time' })
  end!: string;
}

@ApiSchema({ name: 'InvoiceLine' })
export class InvoiceLineSchema {
  @ApiProperty({ example: 'il_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: INVOICE_LINE_TYPES })
  type!: string;

  @ApiProperty({ example: '1 × Pro (at $20.00 / month)' })
  description!: string;

  @ApiProperty({ example: 'price_1a2b3c4d5e6f7a8b9c0d1e2f' })
  price!: string;

  @ApiProperty({ type: 'integer' })
  quantity!: number;

  @ApiProperty({ type: 'integer', description: 'Signed minor units: credits are negative' })
  amount!: number;

  @ApiProperty({ type: () => InvoiceLinePeriodSchema })
  period!: InvoiceLinePeriodSchema;
}

@ApiSchema({ name: 'Invoice' })
export class InvoiceSchema {
  @ApiProperty({ example: 'in_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['invoice'] })
  object!: string;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'ACME-000001',
    description: 'Null until finalization; `TEST-…` on a test clock',
  })
  number!: string | null;

  @ApiProperty({ example: 'cus_1a2b3c4d5e6f7a8b9c0d1e2f' })
  customer!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'sub_1a2b3c4d5e6f7a8b9c0d1e2f' })
  subscription!: string | null;

  @ApiProperty({ enum: INVOICE_STATUSES })
  status!: string;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ type: () => [InvoiceLineSchema] })
  lines!: InvoiceLineSchema[];

  @ApiProperty({ type: 'integer' })
  subtotal!: number;

  @ApiProperty({
    type: 'integer',
    description: "The customer's balance before this invoice (negative is credit)",
  })
  starting_balance!: number;

  @ApiProperty({ type: 'integer' })
  total!: number;

  @ApiProperty({ type: 'integer' })
  amount_due!: number;

  @ApiProperty({ type: 'integer' })
  amount_paid!: number;

  @ApiProperty({ type: 'integer' })
  attempt_count!: number;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  next_payment_attempt!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'pi_1a2b3c4d5e6f7a8b9c0d1e2f' })
  payment_intent!: string | null;

  @ApiProperty({ format: 'date-time' })
  period_start!: string;

  @ApiProperty({ format: 'date-time' })
  period_end!: string;

  @ApiProperty({ format: 'date-time' })
  created!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  finalized_at!: string | null;

  @ApiProperty({ format: 'date-time', nullable: true, type: 'string' })
  paid_at!: string | null;
}

@ApiSchema({ name: 'TestClock' })
export class TestClockSchema {
  @ApiProperty({ example: 'clock_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['test_clock'] })
  object!: string;

  @ApiProperty({ type: 'string', nullable: true })
  name!: string | null;

  @ApiProperty({ format: 'date-time' })
  frozen_time!: string;

  @ApiProperty({ enum: TEST_CLOCK_STATUSES })
  status!: string;

  @ApiProperty({ format: 'date-time' })
  created!: string;
}

@ApiSchema({ name: 'DeletedTestClock' })
export class DeletedTestClockSchema {
  @ApiProperty({ example: 'clock_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['test_clock'] })
  object!: string;

  @ApiProperty({ enum: [true] })
  deleted!: boolean;
}

@ApiSchema({ name: 'BillingSettings' })
export class BillingSettingsSchema {
  @ApiProperty({ enum: ['billing_settings'] })
  object!: string;

  @ApiProperty({
    example: 'ACME',
    description: 'Default: the last 8 characters of the merchant id, upper case',
  })
  invoice_prefix!: string;
}

@ApiSchema({ name: 'DunningSettings' })
export class DunningSettingsSchema {
  @ApiProperty({ enum: ['dunning_settings'] })
  object!: string;

  @ApiProperty({ type: [Number], example: [1, 3, 5, 7, 10, 12, 14] })
  retry_schedule_days!: number[];

  @ApiProperty({ enum: DUNNING_FINAL_ACTIONS })
  final_action!: string;

  @ApiProperty()
  mark_uncollectible!: boolean;
}

@ApiSchema({ name: 'PaymentAttempt' })
export class PaymentAttemptSchema {
  @ApiProperty({ type: 'integer', example: 1 })
  attempt!: number;

  @ApiProperty({ type: 'string', nullable: true, example: 'pi_1a2b3c4d5e6f7a8b9c0d1e2f' })
  payment_intent!: string | null;

  @ApiProperty({ example: 'failed' })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true, example: 'card_declined' })
  code!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'insufficient_funds' })
  decline_code!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: 'visa' })
  network!: string | null;

  @ApiProperty({ type: 'string', nullable: true, example: null })
  advice_code!: string | null;

  @ApiProperty({ enum: ['retry_scheduled', 'wait_for_payment_method', 'paid', 'exhausted'] })
  decision!: string;

  @ApiProperty({ type: 'string', nullable: true })
  reason!: string | null;

  @ApiProperty({ format: 'date-time' })
  at!: string;
}

/** Stripe's list object, one per billing object. */
function listSchema<T>(name: string, item: new () => T, url: string): new () => object {
  @ApiSchema({ name: `${name}List` })
  class ListSchema {
    @ApiProperty({ enum: ['list'] })
    object!: string;

    @ApiProperty({ type: () => [item], description: 'Newest first' })
    data!: T[];

    @ApiProperty()
    has_more!: boolean;

    @ApiProperty({ example: url })
    url!: string;
  }
  return ListSchema;
}

export const CustomerListSchema = listSchema('Customer', CustomerSchema, '/v1/customers');
export const PriceListSchema = listSchema('Price', PriceSchema, '/v1/prices');
export const SubscriptionListSchema = listSchema('Subscription', SubscriptionSchema, '/v1/subscriptions');
export const InvoiceListSchema = listSchema('Invoice', InvoiceSchema, '/v1/invoices');
export const PaymentAttemptListSchema = listSchema(
  'PaymentAttempt',
  PaymentAttemptSchema,
  '/v1/invoices/in_1a2b/payment_attempts',
);
