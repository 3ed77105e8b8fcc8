import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import {
  EVENT_ID_PATTERN,
  MERCHANT_EVENT_TYPES,
  WEBHOOK_DELIVERY_ID_PATTERN,
  WEBHOOK_ENDPOINT_ID_PATTERN,
  type MerchantEventType,
} from './merchant-event-types';

/** Page size of every webhooks list (Stripe's: 1–100, default 10). */
abstract class PageQuery {
  @ApiPropertyOptional({ description: 'Page size', type: 'integer', minimum: 1, maximum: 100, default: 10 })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: '$property must be an integer' })
  @Min(1, { message: '$property must be at least 1' })
  @Max(100, { message: '$property must be at most 100' })
  limit = 10;
}

/** `GET /v1/webhook_endpoints`. */
export class ListWebhookEndpointsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Endpoints created before this one (an id of the previous page)',
    example: 'we_1a2b',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(WEBHOOK_ENDPOINT_ID_PATTERN, { message: '$property must be a webhook endpoint id (we_…)' })
  starting_after?: string;
}

/** `GET /v1/events`: newest first, optionally of one type. */
export class ListEventsQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Events older than this one (an id of the previous page)',
    example: 'evt_1a2b',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(EVENT_ID_PATTERN, { message: '$property must be an event id (evt_…)' })
  starting_after?: string;

  @ApiPropertyOptional({ description: 'Only events of this type', enum: MERCHANT_EVENT_TYPES })
  @IsOptional()
  @IsIn(MERCHANT_EVENT_TYPES, { message: `$property must be one of ${MERCHANT_EVENT_TYPES.join(', ')}` })
  type?: MerchantEventType;
}

/** `GET /v1/webhook_endpoints/{id}/deliveries`: newest first. */
export class ListWebhookDeliveriesQuery extends PageQuery {
  @ApiPropertyOptional({
    description: 'Deliveries older than this one (an id of the previous page)',
    example: 'wd_1a2b',
  })
  @IsOptional()
  @IsString({ message: '$property must be a string' })
  @Matches(WEBHOOK_DELIVERY_ID_PATTERN, { message: '$property must be a webhook delivery id (wd_…)' })
  starting_after?: string;
}
