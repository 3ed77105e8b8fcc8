import 'reflect-metadata'; // class-transformer's @Type reads design-time metadata through it
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CAPTURE_METHODS, type CaptureMethod } from '../objects/payment-intent-status';
import { PaymentIntentObject } from '../objects/payment-intent.object';
import { PROVIDERS, type Provider } from '../objects/provider';
import { RefundObject } from '../objects/refund.object';
import { BPS_DENOMINATOR, MAX_AMOUNT_MINOR } from '../money';
import { IsAmountMinor, IsNonNegativeAmountMinor } from '../validation/amounts';
import { LATE_SUCCESS_REVERSALS, type LateSuccessReversal } from './orchestrator.events';
import { IsNullable } from '../validation/nullable';
import { IsPrefixedId } from '../validation/is-prefixed-id';

/**
 * Events published by the intents service on `payflow.intents.v1` (DESIGN.md, "Event catalogue").
 * Each carries the whole public object after the change, so consumers (webhooks, ledger, billing)
 * never need to read intents' tables, plus the facts of the step itself.
 */
export const INTENTS_EVENT_TYPES = [
  'payment_intent.created',
  'payment_intent.authorization_requested',
  'payment_intent.authorized',
  'payment_intent.authorization_failed',
  'payment_intent.capture_requested',
  'payment_intent.captured',
  'payment_intent.capture_failed',
  'payment_intent.cancel_requested',
  'payment_intent.canceled',
  'payment_intent.cancel_failed',
  'refund.requested',
  'refund.succeeded',
  'refund.failed',
  'payment_intent.capture_reversed',
  'refund.reversed',
  'payment_intent.late_success_detected',
  'payment_intent.late_success_reversed',
  'invoice.payment_request_rejected',
] as const;

/** What every `payment_intent.*` event carries: the public intent after the change. */
export abstract class PaymentIntentEventData {
  @IsObject()
  @ValidateNested()
  @Type(() => PaymentIntentObject)
  intent!: PaymentIntentObject;
}

/** What every `refund.*` event carries: the public refund after the change. */
export abstract class RefundEventData {
  @IsObject()
  @ValidateNested()
  @Type(() => RefundObject)
  refund!: RefundObject;
}

/** `payment_intent.created`: the intent exists, nothing was sent to a PSP. */
export class PaymentIntentCreatedData extends PaymentIntentEventData {}

/** `payment_intent.authorization_requested`: the orchestrator should authorize (attempt `attempt_no`). */
export class PaymentIntentAuthorizationRequestedData extends PaymentIntentEventData {
  @IsString()
  @IsNotEmpty()
  payment_method!: string;

  @IsIn(CAPTURE_METHODS)
  capture_method!: CaptureMethod;

  /**
   * 1 for the first authorization of this intent, +1 for each new one (a `failed` intent may be
   * authorized again, which dunning uses). The orchestrator derives idempotency keys from it, so a
   * redelivered request reuses the key and a new request gets a new one.
   */
  @IsInt()
  @Min(1)
  attempt_no!: number;

  /**
   * A merchant-initiated payment without the customer present (billing's invoices): the PSP is told
   * so (Stripe `off_session`, Adyen `ContAuth` with `recurringProcessingModel: Subscription`).
   * Absent means false.
   */
  @IsOptional()
  @IsBoolean()
  off_session?: boolean;
}

/** `payment_intent.authorized`. */
export class PaymentIntentAuthorizedData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsAmountMinor()
  amount_authorized!: number;
}

/** `payment_intent.authorization_failed`: declined or failed; the intent is `failed`. */
export class PaymentIntentAuthorizationFailedData extends PaymentIntentEventData {
  /** null when no provider was eligible (routing found none), so nothing was sent to a PSP. */
  @IsNullable()
  @IsIn(PROVIDERS)
  provider!: Provider | null;

  @IsOptional()
  @IsString()
  code?: string | null;

  /** The issuer's reason, for card declines only. */
  @IsOptional()
  @IsString()
  decline_code?: string | null;

  @IsOptional()
  @IsString()
  message?: string | null;

  /** The card network (`visa`, `mastercard`, …) where the PSP says. */
  @IsOptional()
  @IsString()
  network?: string | null;

  /** The network's advice code where the PSP gives one (dunning reads it). */
  @IsOptional()
  @IsString()
  advice_code?: string | null;
}

/** `payment_intent.capture_requested`: the orchestrator should capture `amount`. */
export class PaymentIntentCaptureRequestedData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsAmountMinor()
  amount!: number;
}

/**
 * `payment_intent.captured`. Carries the merchant's fee schedule as it was at charge time, so the
 * ledger books the fee the merchant agreed to even if the schedule changes before it consumes this.
 */
export class PaymentIntentCapturedData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsAmountMinor()
  amount_captured!: number;

  /** Percentage part of the fee in basis points (290 = 2.9 %). */
  @IsInt()
  @Min(0)
  @Max(BPS_DENOMINATOR)
  fee_bps!: number;

  /** Fixed part of the fee in minor units of the intent's currency (0 where none is set). */
  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  fee_fixed!: number;
}

/** `payment_intent.capture_failed`: the intent is back to `authorized` with `last_error`. */
export class PaymentIntentCaptureFailedData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsOptional()
  @IsString()
  code?: string | null;

  @IsOptional()
  @IsString()
  message?: string | null;
}

/** `payment_intent.cancel_requested`: void an authorization at its PSP (a manual cancel or an expiry). */
export class PaymentIntentCancelRequestedData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsOptional()
  @IsString()
  reason?: string | null;
}

/** `payment_intent.canceled`. */
export class PaymentIntentCanceledData extends PaymentIntentEventData {
  /** null when the intent was canceled from `created`, at once, without any PSP. */
  @IsNullable()
  @IsIn(PROVIDERS)
  provider!: Provider | null;

  @IsOptional()
  @IsString()
  reason?: string | null;
}

/** `payment_intent.cancel_failed`: the void failed; the intent is back to `authorized`. */
export class PaymentIntentCancelFailedData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsOptional()
  @IsString()
  reason?: string | null;
}

/** Fields shared by the three refund events. */
export abstract class RefundStepData extends RefundEventData {
  /** The PSP that holds the payment: refunds always go where the capture went. */
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsAmountMinor()
  amount!: number;

  @IsOptional()
  @IsString()
  reason?: string | null;
}

/** `refund.requested`: the refund is `pending` and already reserves its amount. */
export class RefundRequestedData extends RefundStepData {}

/** `refund.succeeded`. */
export class RefundSucceededData extends RefundStepData {}

/** `refund.failed`: the reserved amount is released. */
export class RefundFailedData extends RefundStepData {}

/**
 * `payment_intent.capture_reversed`: the PSP reported a capture failed after it had reported it
 * succeeded (Adyen `CAPTURE_FAILED`). The intent is `failed`; the ledger reverses the capture entry
 * (fee included: nothing was charged). Carries the fee schedule the capture was booked with.
 */
export class PaymentIntentCaptureReversedData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  @IsAmountMinor()
  amount_reversed!: number;

  @IsInt()
  @Min(0)
  @Max(BPS_DENOMINATOR)
  fee_bps!: number;

  @IsInt()
  @Min(0)
  @Max(MAX_AMOUNT_MINOR)
  fee_fixed!: number;

  @IsOptional()
  @IsString()
  code?: string | null;

  @IsOptional()
  @IsString()
  message?: string | null;
}

/**
 * `refund.reversed`: a refund the PSP had reported succeeded failed or was returned after all
 * (Adyen `REFUND_FAILED`, `REFUNDED_REVERSED`, a Stripe refund turning `failed`). The refund is
 * `failed`, its amount is refundable again, and the ledger reverses the refund entry.
 */
export class RefundReversedData extends RefundStepData {
  @IsOptional()
  @IsString()
  code?: string | null;

  @IsOptional()
  @IsString()
  message?: string | null;
}

/** What both late-success events carry besides the public intent. */
abstract class PaymentIntentLateSuccessData extends PaymentIntentEventData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  /** The PSP's id of the payment that succeeded late. */
  @IsString()
  @IsNotEmpty()
  psp_reference!: string;

  /** The authorization attempt the PSP reports succeeded after PayFlow had failed it. */
  @IsString()
  @IsNotEmpty()
  attempt_id!: string;

  @IsAmountMinor()
  amount_authorized!: number;

  /** Captured with it (automatic capture), 0 for a hold only. */
  @IsNonNegativeAmountMinor()
  amount_captured!: number;

  @IsIn(LATE_SUCCESS_REVERSALS)
  reversal!: LateSuccessReversal;
}

/**
 * `payment_intent.late_success_detected`: a PSP charged or held money for an authorization PayFlow
 * had already failed; it is being reversed. The intent itself does not change. The ledger books
 * what was captured as owed back to the customer (`psp_suspense`), until the reversal.
 */
export class PaymentIntentLateSuccessDetectedData extends PaymentIntentLateSuccessData {}

/** `payment_intent.late_success_reversed`: the void or refund of a late success went through. */
export class PaymentIntentLateSuccessReversedData extends PaymentIntentLateSuccessData {}

/**
 * `invoice.payment_request_rejected`: intents could not apply billing's `invoice.payment_requested`
 * (the intent is mid-flight, already paid, the merchant is unknown for good, …). Every command gets
 * an answer: this, or the intent's own result events, which carry the invoice id.
 */
export class InvoicePaymentRequestRejectedData {
  @IsPrefixedId('in')
  invoice!: string;

  @IsInt()
  @Min(1)
  attempt!: number;

  /** Machine-readable: `intent_in_flight`, `already_paid`, `attempt_superseded`, … */
  @IsString()
  @IsNotEmpty()
  reason!: string;

  @IsOptional()
  @IsNullable()
  @IsPrefixedId('pi')
  payment_intent?: string | null;
}
