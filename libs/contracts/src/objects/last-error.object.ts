import { IsNotEmpty, IsOptional, IsString } from 'class-validator';

/**
 * `last_error` of a payment intent (API.md): why the last authorization, capture or void failed,
 * e.g. `{type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message}`.
 */
export class LastErrorObject {
  @IsString()
  @IsNotEmpty()
  type!: string;

  @IsString()
  @IsNotEmpty()
  code!: string;

  // Only card declines have one; absent and null both mean "none".
  @IsOptional()
  @IsString()
  decline_code?: string | null;

  @IsString()
  message!: string;

  /** The card network of a declined card (`visa`, `mastercard`, …), where the PSP says. */
  @IsOptional()
  @IsString()
  network?: string | null;

  /**
   * The network's advice code where the PSP gives one (Stripe `network_advice_code`, Mastercard's
   * merchant advice code through Adyen): whether and when a retry may succeed. Dunning reads it.
   */
  @IsOptional()
  @IsString()
  advice_code?: string | null;
}
