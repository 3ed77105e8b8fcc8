import { IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { PROVIDERS, type Provider } from '../objects/provider';
import { IsAmountMinor, IsNonNegativeAmountMinor } from '../validation/amounts';
import { IsCurrency } from '../validation/is-currency';
import { IsPrefixedId } from '../validation/is-prefixed-id';
import { IsNullable } from '../validation/nullable';

/**
 * Events published by the orchestrator on `payflow.orchestrator.v1`: the outcome of one attempt at
 * a PSP (DESIGN.md, "Event catalogue"). The intents service turns them into intent transitions.
 */
export const ORCHESTRATOR_EVENT_TYPES = [
  'payment.authorized',
  'payment.authorization_failed',
  'payment.captured',
  'payment.capture_failed',
  'payment.canceled',
  'payment.cancel_failed',
  'payment.refunded',
  'payment.refund_failed',
  'payment.capture_reversed',
  'payment.refund_reversed',
  'payment.late_success',
  'payment.late_success_reversed',
] as const;

export const ERROR_TYPES = ['card_error', 'invalid_request_error', 'api_error'] as const;
export type ErrorType = (typeof ERROR_TYPES)[number];

/** What every `payment.*` event carries except `provider`, whose nullability varies. */
export abstract class PaymentAttemptOutcomeData {
  @IsPrefixedId('pi')
  intent_id!: string;

  @IsString()
  @IsNotEmpty()
  attempt_id!: string;

  /** The PSP's id of the payment; null when the PSP never assigned one (e.g. refused before it). */
  @IsNullable()
  @IsString()
  psp_reference!: string | null;

  /** The amount of this operation, in PayFlow's minor units (connectors convert PSP exponents). */
  @IsAmountMinor()
  amount!: number;

  @IsCurrency()
  currency!: string;

  @IsOptional()
  @IsString()
  code?: string | null;

  @IsOptional()
  @IsString()
  decline_code?: string | null;

  @IsOptional()
  @IsString()
  message?: string | null;

  /**
   * Failures: API.md `last_error.type` — `card_error` only when the card was declined; PayFlow's own
   * codes (an unknown outcome, no eligible PSP, a PSP unavailable) are `api_error`. Absent: derive
   * it from the code (older events).
   */
  @IsOptional()
  @IsIn(ERROR_TYPES)
  error_type?: ErrorType | null;

  /** Declines: the card network (`visa`, `mastercard`, …) where the PSP says. */
  @IsOptional()
  @IsString()
  network?: string | null;

  /** Declines: the network's advice code (Stripe `network_advice_code`, Mastercard MAC via Adyen). */
  @IsOptional()
  @IsString()
  advice_code?: string | null;
}

/** A `payment.*` event of an attempt that was sent to a PSP. */
export abstract class PaymentAttemptData extends PaymentAttemptOutcomeData {
  @IsIn(PROVIDERS)
  provider!: Provider;
}

export class PaymentAuthorizedData extends PaymentAttemptData {}

/** `payment.authorization_failed`: declined, failed, or never sent. */
export class PaymentAuthorizationFailedData extends PaymentAttemptOutcomeData {
  /** null when no provider was eligible (routing found none), so nothing was sent to a PSP. */
  @IsNullable()
  @IsIn(PROVIDERS)
  provider!: Provider | null;
}

export class PaymentCapturedData extends PaymentAttemptData {}

export class PaymentCaptureFailedData extends PaymentAttemptData {}

export class PaymentCanceledData extends PaymentAttemptData {}

export class PaymentCancelFailedData extends PaymentAttemptData {}

/** The `payment.*` events of a refund also name the refund. */
export abstract class PaymentRefundAttemptData extends PaymentAttemptData {
  @IsPrefixedId('re')
  refund_id!: string;
}

export class PaymentRefundedData extends PaymentRefundAttemptData {}

export class PaymentRefundFailedData extends PaymentRefundAttemptData {}

/**
 * `payment.capture_reversed`: a capture the PSP had reported succeeded failed after all (Adyen
 * `CAPTURE_FAILED`). `attempt_id` is the capture attempt (or the automatic-capture authorization);
 * `amount` what was reported captured and did not move. See docs/orchestrator.md, "The PSP's last word".
 */
export class PaymentCaptureReversedData extends PaymentAttemptData {}

/**
 * `payment.refund_reversed`: a refund the PSP had reported succeeded failed or came back after all
 * (Adyen `REFUND_FAILED`, `REFUNDED_REVERSED`; a Stripe refund turning `failed`).
 */
export class PaymentRefundReversedData extends PaymentRefundAttemptData {}

export const LATE_SUCCESS_REVERSALS = ['void', 'refund'] as const;
export type LateSuccessReversal = (typeof LATE_SUCCESS_REVERSALS)[number];

/** What both late-success events carry besides the attempt's fields. */
abstract class LateSuccessData extends PaymentAttemptData {
  /** What the PSP captured with the late authorization (automatic capture), 0 for a hold only. */
  @IsNonNegativeAmountMinor()
  amount_captured!: number;

  /** How PayFlow undoes it: a void of the hold, or a refund of what was captured. */
  @IsIn(LATE_SUCCESS_REVERSALS)
  reversal!: LateSuccessReversal;

  /** The compensating attempt that undoes it. */
  @IsString()
  @IsNotEmpty()
  reversal_attempt_id!: string;
}

/**
 * `payment.late_success`: the PSP reports a success for an authorization attempt PayFlow had
 * already failed (the intent has left `authorizing`). `attempt_id` is that authorization, `amount`
 * what it authorized; the compensating void or refund is scheduled in the same transaction.
 */
export class PaymentLateSuccessData extends LateSuccessData {}

/** `payment.late_success_reversed`: the compensating void or refund of a late success succeeded. */
export class PaymentLateSuccessReversedData extends LateSuccessData {}
