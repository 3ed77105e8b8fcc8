import { CanActivate, ExecutionContext, HttpStatus, Injectable } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '@payflow/platform/http';
import { GatewayConfig } from '../config/gateway.config';
import { bearerToken } from './bearer-token';
import type { GatewayRequest } from './gateway-request';

const sha256 = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Compares digests rather than the keys, so the comparison is constant-time whatever the length of
 * what was sent (timingSafeEqual alone would reveal the key's length by refusing a different one).
 */
export function adminKeyMatches(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(sha256(given), sha256(expected));
}

/**
 * `/admin`: `Authorization: Bearer <ADMIN_API_KEY>`. The actor written to the audit log names the
 * key by a short digest, so a rotated key shows in the log without the key being stored.
 */
@Injectable()
export class AdminKeyGuard implements CanActivate {
  private readonly actor: string;

  constructor(private readonly config: GatewayConfig) {
    this.actor = `admin_key:${sha256(config.ADMIN_API_KEY).toString('hex').slice(0, 12)}`;
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<GatewayRequest>();
    if (!adminKeyMatches(bearerToken(request.header('authorization')), this.config.ADMIN_API_KEY)) {
      throw new ApiError(
        HttpStatus.UNAUTHORIZED,
        'authentication_error',
        'admin_key_invalid',
        'A valid admin API key is required',
      );
    }
    request.admin = { actor: this.actor };
    return true;
  }
}
