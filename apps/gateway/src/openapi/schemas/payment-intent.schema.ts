import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { CAPTURE_METHODS, PAYMENT_INTENT_STATUSES, PROVIDERS } from '@payflow/contracts';

@ApiSchema({ name: 'LastError' })
export class LastErrorSchema {
  @ApiProperty({ example: 'card_error' })
  type!: string;

  @ApiProperty({ example: 'card_declined' })
  code!: string;

  @ApiPropertyOptional({ example: 'generic_decline', nullable: true })
  decline_code?: string | null;

  @ApiProperty({ example: 'Your card was declined.' })
  message!: string;
}

@ApiSchema({ name: 'PaymentIntent' })
export class PaymentIntentSchema {
  @ApiProperty({ example: 'pi_3xYz' })
  id!: string;

  @ApiProperty({ enum: ['payment_intent'] })
  object!: string;

  @ApiProperty({ example: 'mer_8Hq2kLm3Np4Qr5St' })
  merchant_id!: string;

  @ApiProperty({ type: 'integer', example: 10000, description: 'Minor units of the currency' })
  amount!: number;

  @ApiProperty({ example: 'USD' })
  currency!: string;

  @ApiProperty({ enum: PAYMENT_INTENT_STATUSES })
  status!: string;

  @ApiProperty({ enum: CAPTURE_METHODS })
  capture_method!: string;

  @ApiProperty({ type: 'integer', description: 'Authorized and not captured yet' })
  amount_capturable!: number;

  @ApiProperty({ type: 'integer', description: 'Captured' })
  amount_received!: number;

  @ApiProperty({ type: 'integer', description: 'Pending and succeeded refunds' })
  amount_refunded!: number;

  @ApiProperty({ type: 'string', nullable: true, example: 'pm_card_visa' })
  payment_method!: string | null;

  @ApiProperty({ enum: PROVIDERS, nullable: true })
  provider!: string | null;

  @ApiProperty({ type: () => LastErrorSchema, nullable: true })
  last_error!: LastErrorSchema | null;

  @ApiProperty({ type: 'string', nullable: true })
  description!: string | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } })
  metadata!: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  created!: string;

  @ApiProperty({ format: 'date-time' })
  updated!: string;
}

@ApiSchema({ name: 'PaymentIntentList' })
export class PaymentIntentListSchema {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [PaymentIntentSchema], description: 'Newest first' })
  data!: PaymentIntentSchema[];

  @ApiProperty()
  has_more!: boolean;
}
