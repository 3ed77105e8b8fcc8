import { Injectable } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway.config';

/**
 * Every Redis key the gateway writes, under REDIS_KEY_PREFIX (default `payflow:gw:`), so the
 * layout is in one place and a test run can use (and flush) a namespace of its own.
 */
@Injectable()
export class RedisKeys {
  readonly prefix: string;

  constructor(config: GatewayConfig) {
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  /**
   * `<prefix>idem:<scope>:<key>`. The scope (a merchant id, or `admin`) never contains a colon, so
   * the key that follows it may contain anything printable without ambiguity.
   */
  idempotency(scope: string, key: string): string {
    return `${this.prefix}idem:${scope}:${key}`;
  }

  /** rate-limiter-flexible appends `:<merchant id>` to its key prefix. */
  get rateLimitPrefix(): string {
    return `${this.prefix}rl`;
  }
}
