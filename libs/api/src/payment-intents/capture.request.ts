import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional } from 'class-validator';
import { MAX_AMOUNT_MINOR } from '@payflow/contracts';
import { IsRequestAmount } from '../validation/amount';

/** `POST /v1/payment_intents/{id}/capture`. */
export class CaptureRequest {
  @ApiPropertyOptional({
    description: 'Amount to capture, at most `amount_capturable` (default: all of it); the rest is released',
    type: 'integer',
    minimum: 1,
    maximum: MAX_AMOUNT_MINOR,
  })
  @IsOptional()
  @IsRequestAmount()
  amount?: number;
}
