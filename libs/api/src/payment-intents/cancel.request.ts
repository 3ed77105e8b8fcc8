import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /v1/payment_intents/{id}/cancel`. */
export class CancelRequest {
  @ApiPropertyOptional({
    description: 'Why the payment is canceled',
    maxLength: 500,
    example: 'requested_by_customer',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(500, { message: '$property must be at most 500 characters' })
  reason?: string;
}
