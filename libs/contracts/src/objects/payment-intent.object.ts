import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata through it
import { Type } from 'class-transformer';
import { Equals, IsIn, IsObject, IsOptional, IsString, ValidateNested } from 'class-validator';
import { IsAmountMinor, IsNonNegativeAmountMinor } from '../validation/amounts';
import { IsCurrency } from '../validation/is-currency';
import { IsPrefixedId } from '../validation/is-prefixed-id';
import { IsStringRecord } from '../validation/is-string-record';
import { IsTimestamp } from '../validation/is-timestamp';
import { IsNullable } from '../validation/nullable';
import { LastErrorObject } from './last-error.object';
import {
  CAPTURE_METHODS,
  PAYMENT_INTENT_STATUSES,
  type CaptureMethod,
  type PaymentIntentStatus,
} from './payment-intent-status';
import { PROVIDERS, type Provider } from './provider';

/**
 * The public payment intent exactly as merchants see it (API.md). Every `payment_intent.*` event
 * carries it whole, so the webhooks service builds merchant events without reading intents' tables.
 */
export class PaymentIntentObject {
  @IsPrefixedId('pi')
  id!: string;

  @Equals('payment_intent')
  object!: 'payment_intent';

  @IsPrefixedId('mer')
  merchant_id!: string;

  @IsAmountMinor()
  amount!: number;

  @IsCurrency()
  currency!: string;

  @IsIn(PAYMENT_INTENT_STATUSES)
  status!: PaymentIntentStatus;

  @IsIn(CAPTURE_METHODS)
  capture_method!: CaptureMethod;

  /** Authorized and not captured yet; 0 after a capture, which releases the rest. */
  @IsNonNegativeAmountMinor()
  amount_capturable!: number;

  /** Captured. */
  @IsNonNegativeAmountMinor()
  amount_received!: number;

  /** Pending and succeeded refunds: a pending refund already reserves its amount. */
  @IsNonNegativeAmountMinor()
  amount_refunded!: number;

  @IsNullable()
  @IsString()
  payment_method!: string | null;

  /** Set once an attempt has been routed. */
  @IsNullable()
  @IsIn(PROVIDERS)
  provider!: Provider | null;

  @IsNullable()
  @IsObject()
  @ValidateNested()
  @Type(() => LastErrorObject)
  last_error!: LastErrorObject | null;

  @IsNullable()
  @IsString()
  description!: string | null;

  /**
   * The `in_…` invoice billing asked this payment for, else null. Optional in the schema only so
   * events published before billing existed still validate; intents always sets it.
   */
  @IsOptional()
  @IsNullable()
  @IsPrefixedId('in')
  invoice?: string | null;

  @IsObject()
  @IsStringRecord()
  metadata!: Record<string, string>;

  @IsTimestamp()
  created!: string;

  @IsTimestamp()
  updated!: string;
}
