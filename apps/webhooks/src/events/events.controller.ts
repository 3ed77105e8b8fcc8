import { Controller, Get, Param, Query } from '@nestjs/common';
import { ListEventsQuery } from '@payflow/api';
import { ListObject } from '../http/list-object';
import { MerchantId } from '@payflow/platform/http';
import { assertEventId } from '../http/public-ids';
import { MerchantEventObject } from './merchant-event-mapping';
import { MerchantEventsService } from './merchant-events.service';

/** The gateway's hop for `/v1/events`: the merchant's events of the last 30 days. */
@Controller('internal/v1/events')
export class EventsController {
  constructor(private readonly events: MerchantEventsService) {}

  @Get()
  list(
    @MerchantId() merchantId: string,
    @Query() query: ListEventsQuery,
  ): Promise<ListObject<MerchantEventObject>> {
    return this.events.list(merchantId, query);
  }

  @Get(':id')
  get(@MerchantId() merchantId: string, @Param('id') id: string): Promise<MerchantEventObject> {
    return this.events.get(merchantId, assertEventId(id));
  }
}
