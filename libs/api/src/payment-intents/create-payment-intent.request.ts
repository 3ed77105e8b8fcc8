import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { CAPTURE_METHODS, CURRENCY_CODES, MAX_AMOUNT_MINOR, type CaptureMethod } from '@payflow/contracts';
import { IsRequestAmount } from '../validation/amount';
import { IsRequestCurrency } from '../validation/currency';
import {
  IsMetadata,
  METADATA_MAX_KEYS,
  METADATA_MAX_KEY_LENGTH,
  METADATA_MAX_VALUE_LENGTH,
} from '../validation/metadata';
import { IsPaymentMethodToken } from '../validation/payment-method';

/** `POST /v1/payment_intents` (API.md, "Payment intents"). */
export class CreatePaymentIntentRequest {
  @ApiProperty({
    description: 'Amount in minor units of the currency (1000 = 10.00 USD, 1000 JPY = ¥1000)',
    type: 'integer',
    minimum: 1,
    maximum: MAX_AMOUNT_MINOR,
    example: 10000,
  })
  @IsRequestAmount()
  amount!: number;

  @ApiProperty({
    description: 'ISO 4217 code, any case; returned upper case',
    enum: CURRENCY_CODES,
    example: 'USD',
  })
  @IsRequestCurrency()
  currency!: string;

  @ApiPropertyOptional({
    description: "Must be the authenticated merchant's own id when given (else 403 permission_error)",
    example: 'mer_8f2c1d',
    maxLength: 255,
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(255, { message: '$property must be at most 255 characters' })
  @Matches(/^mer_[A-Za-z0-9_-]+$/, { message: '$property must be a merchant id starting with "mer_"' })
  merchant_id?: string;

  @ApiPropertyOptional({
    description: 'Payment method token (never card data)',
    example: 'pm_card_visa',
    maxLength: 255,
  })
  @IsOptional()
  @IsPaymentMethodToken()
  payment_method?: string;

  @ApiPropertyOptional({
    description: '`manual` waits for a capture call; `automatic` captures everything on authorization',
    enum: CAPTURE_METHODS,
    default: 'manual',
  })
  @IsOptional()
  @IsIn(CAPTURE_METHODS, { message: `$property must be one of ${CAPTURE_METHODS.join(', ')}` })
  capture_method: CaptureMethod = 'manual';

  @ApiPropertyOptional({
    description: 'Free text shown to the merchant',
    maxLength: 1000,
    example: 'Order #1234',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(1000, { message: '$property must be at most 1000 characters' })
  description?: string;

  @ApiPropertyOptional({
    description: `Up to ${METADATA_MAX_KEYS} keys of at most ${METADATA_MAX_KEY_LENGTH} characters with string values of at most ${METADATA_MAX_VALUE_LENGTH}`,
    type: 'object',
    additionalProperties: { type: 'string', maxLength: METADATA_MAX_VALUE_LENGTH },
    maxProperties: METADATA_MAX_KEYS,
    example: { order_id: '1234' },
  })
  @IsOptional()
  @IsMetadata()
  metadata?: Record<string, string>;
}
