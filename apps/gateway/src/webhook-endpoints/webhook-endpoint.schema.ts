import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { ENABLED_EVENT_CHOICES, MERCHANT_EVENT_TYPES } from '@payflow/api';

@ApiSchema({ name: 'WebhookEndpoint' })
export class WebhookEndpointSchema {
  @ApiProperty({ example: 'we_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['webhook_endpoint'] })
  object!: string;

  @ApiProperty({ example: 'https://example.com/payflow/webhooks' })
  url!: string;

  @ApiProperty({ type: [String], enum: ENABLED_EVENT_CHOICES, example: ['payment_intent.succeeded'] })
  enabled_events!: string[];

  @ApiProperty({ enum: ['enabled', 'disabled'] })
  status!: string;

  @ApiProperty({ type: 'string', nullable: true })
  description!: string | null;

  @ApiProperty({ format: 'date-time' })
  created!: string;

  @ApiProperty({ format: 'date-time' })
  updated!: string;
}

@ApiSchema({ name: 'WebhookEndpointWithSecret' })
export class WebhookEndpointWithSecretSchema extends WebhookEndpointSchema {
  @ApiProperty({
    description:
      'Signing secret of `PayFlow-Signature` (HMAC-SHA256 keyed with this whole string). Shown only in this answer.',
    example: 'whsec_3b1f…',
  })
  secret!: string;
}

@ApiSchema({ name: 'WebhookEndpointList' })
export class WebhookEndpointListSchema {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [WebhookEndpointSchema], description: 'Newest first' })
  data!: WebhookEndpointSchema[];

  @ApiProperty()
  has_more!: boolean;
}

@ApiSchema({ name: 'DeletedWebhookEndpoint' })
export class DeletedWebhookEndpointSchema {
  @ApiProperty({ example: 'we_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['webhook_endpoint'] })
  object!: string;

  @ApiProperty({ enum: [true] })
  deleted!: boolean;
}

@ApiSchema({ name: 'WebhookDeliveryAttempt' })
export class WebhookDeliveryAttemptSchema {
  @ApiProperty({ type: 'integer', example: 1 })
  attempt!: number;

  @ApiProperty({ format: 'date-time' })
  started!: string;

  @ApiProperty({ type: 'integer', example: 84 })
  duration_ms!: number;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 500,
    description: "The endpoint's HTTP status; null when none came",
  })
  status_code!: number | null;

  @ApiProperty({
    type: 'string',
    nullable: true,
    example: 'timeout after 5000 ms',
    description: 'Why no status came',
  })
  error!: string | null;

  @ApiProperty({ enum: ['succeeded', 'failed'] })
  outcome!: string;
}

@ApiSchema({ name: 'WebhookDelivery' })
export class WebhookDeliverySchema {
  @ApiProperty({ example: 'wd_1a2b3c4d5e6f7a8b9c0d1e2f' })
  id!: string;

  @ApiProperty({ enum: ['webhook_delivery'] })
  object!: string;

  @ApiProperty({ example: 'we_1a2b3c4d5e6f7a8b9c0d1e2f' })
  endpoint!: string;

  @ApiProperty({ example: 'evt_1a2b3c4d5e6f7a8b9c0d1e2f' })
  event!: string;

  @ApiProperty({ enum: MERCHANT_EVENT_TYPES })
  event_type!: string;

  @ApiProperty({
    enum: ['pending', 'succeeded', 'failed', 'canceled'],
    description:
      '`pending` while retried; `failed` after 24 h of failed attempts; `canceled` when the endpoint was disabled',
  })
  status!: string;

  @ApiProperty({ type: 'integer' })
  attempt_count!: number;

  @ApiPropertyOptional({
    format: 'date-time',
    nullable: true,
    description: 'When the next attempt is due (pending only)',
  })
  next_attempt!: string | null;

  @ApiProperty({ format: 'date-time' })
  created!: string;

  @ApiProperty({ format: 'date-time', nullable: true })
  completed!: string | null;

  @ApiProperty({ type: () => [WebhookDeliveryAttemptSchema], description: 'Every attempt, newest first' })
  attempts!: WebhookDeliveryAttemptSchema[];
}

@ApiSchema({ name: 'WebhookDeliveryList' })
export class WebhookDeliveryListSchema {
  @ApiProperty({ enum: ['list'] })
  object!: string;

  @ApiProperty({ type: () => [WebhookDeliverySchema], description: 'Newest first' })
  data!: WebhookDeliverySchema[];

  @ApiProperty()
  has_more!: boolean;
}
