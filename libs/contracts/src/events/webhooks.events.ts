import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString } from 'class-validator';
import { PROVIDERS, type Provider } from '../objects/provider';
import { IsNonNegativeAmountMinor } from '../validation/amounts';
import { IsCurrency } from '../validation/is-currency';
import { IsPrefixedId } from '../validation/is-prefixed-id';

/** Events published by the webhooks service on `payflow.webhooks.v1`. */
export const WEBHOOKS_EVENT_TYPES = ['psp.notification_received'] as const;

/** What a PSP notification is about, normalized across PSPs. */
export const PSP_NOTIFICATION_KINDS = [
  'authorization',
  'capture',
  'refund',
  'cancel',
  /** Adyen `CANCEL_OR_REFUND`: a void if the payment was not captured yet, else a refund. */
  'cancel_or_refund',
  'chargeback',
] as const;

export type PspNotificationKind = (typeof PSP_NOTIFICATION_KINDS)[number];

/**
 * `psp.notification_received`: a verified, deduplicated PSP webhook in PSP-neutral form. It may
 * arrive before or after the API answer it belongs to; consumers must not assume either.
 */
export class PspNotificationReceivedData {
  @IsIn(PROVIDERS)
  provider!: Provider;

  /** The PSP's own event id (Stripe `evt_…`, Adyen eventCode + pspReference): the dedup key. */
  @IsString()
  @IsNotEmpty()
  psp_event_id!: string;

  /** The PSP's id of the payment (or refund) the notification is about. */
  @IsString()
  @IsNotEmpty()
  psp_reference!: string;

  @IsIn(PSP_NOTIFICATION_KINDS)
  kind!: PspNotificationKind;

  /** Whether the operation succeeded (Adyen's `success`, Stripe's succeeded/failed event types). */
  @IsBoolean()
  success!: boolean;

  /** In PayFlow's minor units: the webhooks service converts a PSP's own exponent. */
  @IsNonNegativeAmountMinor()
  amount!: number;

  /** Upper case: Stripe sends "usd", the webhooks service normalizes it. */
  @IsCurrency()
  currency!: string;

  // PayFlow's own ids, present when the PSP echoed them (Stripe metadata, Adyen merchantReference).
  @IsOptional()
  @IsPrefixedId('pi')
  intent_id?: string | null;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  attempt_id?: string | null;

  @IsOptional()
  @IsPrefixedId('re')
  refund_id?: string | null;

  /**
   * Whether this reports a failure of an operation the PSP had reported succeeded (Adyen
   * `CAPTURE_FAILED`, `REFUND_FAILED`, `REFUNDED_REVERSED`; a Stripe refund turning `failed`).
   */
  @IsOptional()
  @IsBoolean()
  reversal?: boolean;

  // Failed authorizations: the decline as the PSP gave it (dunning needs every field).
  @IsOptional()
  @IsString()
  code?: string | null;

  @IsOptional()
  @IsString()
  decline_code?: string | null;

  @IsOptional()
  @IsString()
  network?: string | null;

  @IsOptional()
  @IsString()
  advice_code?: string | null;

  @IsOptional()
  @IsString()
  message?: string | null;
}
