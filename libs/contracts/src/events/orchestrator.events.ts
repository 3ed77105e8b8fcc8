import { IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { PROVIDERS, type Provider } from '../objects/provider';
import { IsAmountMinor } from '../validation/amounts';
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
] as const;

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
