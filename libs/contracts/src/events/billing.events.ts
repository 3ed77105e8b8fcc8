import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata through it
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsObject, IsOptional, IsString, Min, ValidateNested } from 'class-validator';
import {
  InvoiceObject,
  SUBSCRIPTION_STATUSES,
  SubscriptionObject,
  type SubscriptionStatus,
} from '../objects/billing/billing-objects';
import { IsAmountMinor } from '../validation/amounts';
import { IsCurrency } from '../validation/is-currency';
import { IsPrefixedId } from '../validation/is-prefixed-id';
import { IsTimestamp } from '../validation/is-timestamp';
import { IsNullable } from '../validation/nullable';

/**
 * Events published by the billing service on `payflow.billing.v1` (DESIGN.md, "Event catalogue
 * (billing and dunning)"). The Kafka key is the subscription id (the customer id for `customer.*`,
 * the clock id for `test_clock.*`), so each subscription's billing keeps its order.
 */
export const BILLING_EVENT_TYPES = [
  'subscription.created',
  'subscription.updated',
  'subscription.canceled',
  'subscription.status_changed',
  'invoice.finalized',
  'invoice.paid',
  'invoice.voided',
  'invoice.marked_uncollectible',
  'invoice.payment_requested',
  'invoice.payment_failed',
  'customer.payment_method_updated',
  'test_clock.advanced',
] as const;

/**
 * Events of a customer on a test clock say so, with the clock's time of the change, so consumers
 * (dunning) schedule on that clock and never on the wall clock.
 */
export abstract class ClockAwareData {
  @IsOptional()
  @IsNullable()
  @IsPrefixedId('clock')
  test_clock?: string | null;

  /** The customer's time of the change: the clock's frozen time, or the wall clock. */
  @IsOptional()
  @IsTimestamp()
  clock_time?: string;
}

/** What every `subscription.*` event carries: the public subscription after the change. */
export abstract class SubscriptionEventData extends ClockAwareData {
  @IsObject()
  @ValidateNested()
  @Type(() => SubscriptionObject)
  subscription!: SubscriptionObject;

  @IsOptional()
  @IsNullable()
  @IsIn(SUBSCRIPTION_STATUSES)
  previous_status?: SubscriptionStatus | null;

  @IsOptional()
  @IsNullable()
  @IsString()
  reason?: string | null;
}

export class SubscriptionCreatedData extends SubscriptionEventData {}
export class SubscriptionUpdatedData extends SubscriptionEventData {}
export class SubscriptionCanceledData extends SubscriptionEventData {}
export class SubscriptionStatusChangedData extends SubscriptionEventData {}

/**
 * Why an invoice exists (Stripe's `billing_reason`): the subscription's first invoice
 * (`subscription_create`, never dunned: the subscription stays `incomplete`), a renewal at a period
 * boundary (`subscription_cycle`, the first paid period after a trial included), an invoice a change
 * made at once (`subscription_update`), or none of these (`manual`).
 */
export const INVOICE_BILLING_REASONS = ['subscription_create', 'subscription_cycle', 'subscription_update', 'manual'] as const;
export type InvoiceBillingReason = (typeof INVOICE_BILLING_REASONS)[number];

/** What every `invoice.*` event carries: the public invoice after the change. */
export abstract class InvoiceEventData extends ClockAwareData {
  @IsObject()
  @ValidateNested()
  @Type(() => InvoiceObject)
  invoice!: InvoiceObject;

  @IsOptional()
  @IsIn(INVOICE_BILLING_REASONS)
  billing_reason?: InvoiceBillingReason;
}

export class InvoiceFinalizedData extends InvoiceEventData {}
export class InvoicePaidData extends InvoiceEventData {}
export class InvoiceVoidedData extends InvoiceEventData {}
export class InvoiceMarkedUncollectibleData extends InvoiceEventData {}

/**
 * `invoice.payment_requested`: the command intents acts on. Attempt 1 creates the invoice's
 * payment intent; a later attempt authorizes that intent again. Idempotent on (invoice, attempt).
 */
export class InvoicePaymentRequestedData extends InvoiceEventData {
  @IsInt()
  @Min(1)
  attempt!: number;

  @IsString()
  @IsNotEmpty()
  payment_method!: string;

  @IsAmountMinor()
  amount!: number;

  @IsCurrency()
  currency!: string;

  @IsPrefixedId('cus')
  customer!: string;

  /** Always true: billing's payments are merchant-initiated (Stripe off_session, Adyen ContAuth). */
  @IsBoolean()
  off_session!: boolean;
}

/** `invoice.payment_failed`: one attempt failed; the decline exactly as the PSP gave it (dunning classifies). */
export class InvoicePaymentFailedData extends InvoiceEventData {
  @IsInt()
  @Min(1)
  attempt!: number;

  @IsNullable()
  @IsPrefixedId('pi')
  payment_intent!: string | null;

  @IsNullable()
  @IsString()
  payment_method!: string | null;

  @IsString()
  @IsNotEmpty()
  code!: string;

  @IsNullable()
  @IsString()
  decline_code!: string | null;

  @IsNullable()
  @IsString()
  network!: string | null;

  @IsNullable()
  @IsString()
  advice_code!: string | null;

  /** When it failed, on the customer's clock. */
  @IsTimestamp()
  failed_at!: string;
}

/** `customer.payment_method_updated`: the customer gave a new card; dunning tries open cases at once. */
export class CustomerPaymentMethodUpdatedData extends ClockAwareData {
  @IsPrefixedId('cus')
  customer!: string;

  @IsString()
  @IsNotEmpty()
  payment_method!: string;

  @IsOptional()
  @IsNullable()
  @IsString()
  previous_payment_method?: string | null;
}

/** `test_clock.advanced`: one step of an advance saga reached `frozen_time`. */
export class TestClockAdvancedData {
  @IsPrefixedId('clock')
  clock!: string;

  @IsTimestamp()
  frozen_time!: string;

  /** The advance's target: the saga steps until it reaches it. */
  @IsOptional()
  @IsTimestamp()
  target_time?: string;
}
