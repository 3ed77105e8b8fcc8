import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { IsPaymentMethodToken } from '../validation/payment-method';

/** `POST /v1/payment_intents/{id}/authorize`. */
export class AuthorizeRequest {
  @ApiPropertyOptional({
    description: 'Payment method token; required here when the intent has none',
    example: 'pm_card_visa',
    maxLength: 255,
  })
  @IsOptional()
  @IsPaymentMethodToken()
  payment_method?: string;
}
