import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { EventOf } from '@payflow/contracts';
import { InboxContext } from '@payflow/platform/messaging';
import { IntentAuthorizations } from './intent-authorizations';

/**
 * The budgets' consumer of `payflow.intents.v1` (through the inbox transport: each handler writes
 * through `ctx.tx`). Intents' other events are acknowledged without effect.
 */
@Controller()
export class AuthorizationsConsumer {
  constructor(private readonly authorizations: IntentAuthorizations) {}

  @EventPattern('payment_intent.authorized')
  authorized(@Payload() event: EventOf<'payment_intent.authorized'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.authorizations.approved(ctx.tx, event);
  }

  @EventPattern('payment_intent.captured')
  captured(@Payload() event: EventOf<'payment_intent.captured'>, @Ctx() ctx: InboxContext): Promise<void> {
    return this.authorizations.approved(ctx.tx, event);
  }

  @EventPattern('payment_intent.authorization_failed')
  authorizationFailed(
    @Payload() event: EventOf<'payment_intent.authorization_failed'>,
    @Ctx() ctx: InboxContext,
  ): Promise<void> {
    return this.authorizations.declined(ctx.tx, event);
  }
}
