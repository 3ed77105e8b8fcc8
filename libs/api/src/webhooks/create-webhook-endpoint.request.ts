import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { IsEnabledEvents } from './enabled-events';
import { ENABLED_EVENT_CHOICES } from './merchant-event-types';
import { IsWebhookUrl, WEBHOOK_URL_MAX_LENGTH } from './webhook-url';

/** `POST /v1/webhook_endpoints` (API.md, "Merchant webhooks and events"). */
export class CreateWebhookEndpointRequest {
  @ApiProperty({
    description:
      'Where events are POSTed. Must be https and resolve only to public addresses (http and loopback are allowed only where WEBHOOK_ALLOW_INSECURE_URLS is set, for development)',
    example: 'https://example.com/payflow/webhooks',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
  })
  @IsWebhookUrl()
  url!: string;

  @ApiProperty({
    description: 'Event types sent to this endpoint; `["*"]` for all',
    type: [String],
    enum: ENABLED_EVENT_CHOICES,
    example: ['payment_intent.succeeded', 'refund.succeeded'],
  })
  @IsEnabledEvents()
  enabled_events!: string[];

  @ApiPropertyOptional({ description: 'Free text for the merchant', maxLength: 500, example: 'Order system' })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(500, { message: '$property must be at most 500 characters' })
  description?: string;
}
