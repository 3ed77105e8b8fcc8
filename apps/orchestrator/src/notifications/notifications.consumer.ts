import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { NotificationsService } from './notifications.service';

/** `psp.notification_received` from the webhooks service, through the inbox transport. */
@Controller()
export class NotificationsConsumer {
  constructor(private readonly notifications: NotificationsService) {}

  @EventPattern('psp.notification_received')
  received(@Payload() event: EventOf<'psp.notification_received'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.notifications.receive(ctx.tx, event);
  }
}
