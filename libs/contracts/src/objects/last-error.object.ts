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
}
