import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { InternalTokenGuard } from '@payflow/platform/http';
import { PSP_WEBHOOK_ROUTE } from './psp-webhook-route.decorator';

/**
 * The platform's internal token check on every route except those marked `@PspWebhookRoute()`.
 * Marked by metadata rather than by path, so a new internal route can never fall under a PSP path
 * prefix and lose its protection by accident.
 */
@Injectable()
export class InternalApiGuard implements CanActivate {
  private readonly tokenGuard: InternalTokenGuard;

  constructor(
    token: string,
    private readonly reflector: Reflector,
  ) {
    this.tokenGuard = new InternalTokenGuard(token);
  }

  canActivate(context: ExecutionContext): boolean {
    const isPspRoute = this.reflector.getAllAndOverride<boolean>(PSP_WEBHOOK_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPspRoute === true || this.tokenGuard.canActivate(context);
  }
}
