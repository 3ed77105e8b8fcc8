import { Controller, Get, Param, Query } from '@nestjs/common';
import { ListWebhookDeliveriesQuery } from '@payflow/api';
import { ListObject } from '../http/list-object';
import { MerchantId } from '@payflow/platform/http';
import { assertEndpointId } from '../http/public-ids';
import { DeliveriesService } from './deliveries.service';
import { WebhookDeliveryObject } from './webhook-delivery';

/** The gateway's hop for `/v1/webhook_endpoints/{id}/deliveries`. */
@Controller('internal/v1/webhook_endpoints')
export class DeliveriesController {
  constructor(private readonly deliveries: DeliveriesService) {}

  @Get(':id/deliveries')
  list(
    @MerchantId() merchantId: string,
    @Param('id') id: string,
    @Query() query: ListWebhookDeliveriesQuery,
  ): Promise<ListObject<WebhookDeliveryObject>> {
    return this.deliveries.list(merchantId, assertEndpointId(id), query);
  }
}
