import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import type { Response } from 'express';
import { ApiError } from '@payflow/platform/http';
import type { GatewayRequest } from '../auth/gateway-request';
import { MerchantRateLimiter } from './merchant-rate-limiter';

/** 429 `rate_limit_error` with `Retry-After` once a merchant's bucket is empty. Runs after ApiKeyGuard. */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(private readonly limiter: MerchantRateLimiter) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const merchant = http.getRequest<GatewayRequest>().merchant;
    if (!merchant) throw new Error('RateLimitGuard must run after ApiKeyGuard');
    const decision = await this.limiter.consume(merchant.id);
    if (decision.allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(decision.retryAfterSeconds));
    throw new ApiError(
      HttpStatus.TOO_MANY_REQUESTS,
      'rate_limit_error',
      'rate_limit',
      `Too many requests: the limit is ${this.limiter.ratePerSecond} requests per second with bursts of ${this.limiter.burst}`,
    );
  }
}
