import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsEnabledEvents } from './enabled-events';
import { ENABLED_EVENT_CHOICES } from './merchant-event-types';
import { IsWebhookUrl, WEBHOOK_URL_MAX_LENGTH } from './webhook-url';

/** `POST /v1/webhook_endpoints/{id}`: only the fields given change. */
export class UpdateWebhookEndpointRequest {
  @ApiPropertyOptional({
    description: 'New URL (same rules as on creation)',
    maxLength: WEBHOOK_URL_MAX_LENGTH,
  })
  @IsOptional()
  @IsWebhookUrl()
  url?: string;

  @ApiPropertyOptional({ type: [String], enum: ENABLED_EVENT_CHOICES, description: 'Replaces the list' })
  @IsOptional()
  @IsEnabledEvents()
  enabled_events?: string[];

  @ApiPropertyOptional({
    description:
      'true disables the endpoint (nothing is sent to it, pending deliveries are canceled); false enables it again',
  })
  @IsOptional()
  @IsBoolean({ message: '$property must be a boolean' })
  disabled?: boolean;

  @ApiPropertyOptional({ maxLength: 500 })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @MaxLength(500, { message: '$property must be at most 500 characters' })
  description?: string;
}
