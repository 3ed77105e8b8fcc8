import { Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { GatewayConfig } from '../config/gateway.config';
import { RedisKeys } from '../redis/redis-keys';
import { retryAfterSeconds } from './retry-after';
import { tokenBucketScript } from './token-bucket-script';

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/**
 * Per-merchant token bucket in Redis (see token-bucket-script.ts), shared by every gateway replica.
 *
 * Redis down: fail open, but not unlimited. rate-limiter-flexible's insurance limiter takes over, an
 * in-memory limiter of the same size per replica (so N replicas allow up to N × the limit), and
 * `/readyz` reports redis down. Rate limiting protects capacity, not correctness, and refusing all
 * traffic because a cache is down would turn a Redis outage into a payments outage.
 */
@Injectable()
export class MerchantRateLimiter {
  private readonly limiter: RateLimiterRedis;
  readonly ratePerSecond: number;
  readonly burst: number;

  constructor(redis: Redis, keys: RedisKeys, config: GatewayConfig) {
    this.ratePerSecond = config.RATE_LIMIT_PER_SECOND;
    this.burst = config.RATE_LIMIT_BURST;
    // The window the library needs for its own bookkeeping, and the in-memory fallback's window:
    // as long as a full bucket takes to refill, so the fallback allows the same average rate.
    const refillSeconds = Math.max(1, Math.ceil(this.burst / this.ratePerSecond));
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimitPrefix,
      points: this.burst,
      duration: refillSeconds,
      customIncrTtlLuaScript: tokenBucketScript(this.ratePerSecond),
      // Without this, a call made while ioredis reconnects would wait for it instead of falling back.
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({
        keyPrefix: 'insurance',
        points: this.burst,
        duration: refillSeconds,
      }),
    });
  }

  async consume(merchantId: string): Promise<RateLimitDecision> {
    try {
      await this.limiter.consume(merchantId);
      return { allowed: true };
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes)
        return { allowed: false, retryAfterSeconds: retryAfterSeconds(rejection.msBeforeNext) };
      // Both Redis and the insurance limiter failed: let the request through (see above).
      return { allowed: true };
    }
  }
}
