import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { ApiError } from './api-error';

export const INTERNAL_TOKEN_HEADER = 'x-internal-token';
export const MERCHANT_ID_HEADER = 'x-merchant-id';

/** Constant-time comparison, so the token cannot be guessed byte by byte from response times. */
export function tokensMatch(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Internal endpoints answer only callers holding INTERNAL_API_TOKEN (the gateway). Register with
 * `new InternalTokenGuard(config.INTERNAL_API_TOKEN)`.
 */
@Injectable()
export class InternalTokenGuard implements CanActivate {
  constructor(private readonly token: string) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers share the app's global guards; they are not HTTP calls.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<Request>();
    const path = request.path;
    if (path === '/healthz' || path === '/readyz' || path === '/metrics') return true;
    if (!tokensMatch(request.header(INTERNAL_TOKEN_HEADER), this.token)) {
      throw new ApiError(HttpStatus.UNAUTHORIZED, 'authentication_error', 'internal_token_invalid', 'Internal endpoint: a valid internal token is required');
    }
    return true;
  }
}
