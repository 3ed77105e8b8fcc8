import { ApiProperty } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';

/** 3–12 upper-case letters or digits (API.md): numbers read `<invoice_prefix>-000001`. */
export const INVOICE_PREFIX_PATTERN = /^[A-Z0-9]{3,12}$/;

/** `POST /v1/billing_settings`: the merchant's invoice number prefix, for numbers assigned from then on. */
export class UpdateBillingSettingsRequest {
  @ApiProperty({ pattern: INVOICE_PREFIX_PATTERN.source, example: 'ACME' })
  @IsString({ message: '$property must be a string' })
  @Matches(INVOICE_PREFIX_PATTERN, { message: '$property must be 3 to 12 upper-case letters or digits' })
  invoice_prefix!: string;
}
