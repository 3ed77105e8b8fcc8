import { Global, Injectable, Logger, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { Redis } from 'ioredis';
import { READINESS_CHECKS, ReadinessCheck, redisCheck } from '@payflow/platform/health';
import { GatewayConfig } from '../config/gateway.config';
import { RedisKeys } from './redis-keys';

/** A Redis command that takes longer than this counts as Redis being down (fail open, see docs/gateway.md). */
const REDIS_COMMAND_TIMEOUT_MS = 500;
/** Start-up waits this long for Redis, then serves anyway (degraded) and lets /readyz say so. */
const REDIS_READY_WAIT_MS = 2_000;

/**
 * Redis is a fast path here, never the decider (DESIGN.md): commands fail at once while it is
 * unreachable instead of queueing behind a reconnect (no offline queue, one try, short timeout),
 * so every request keeps the latency of its fallback.
 */
export function createGatewayRedis(url: string): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectionName: 'payflow-gateway',
  });
}

function waitUntilReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => done(false), timeoutMs);
    const done = (ready: boolean) => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ready);
    };
    const onReady = () => done(true);
    redis.on('ready', onReady);
  });
}

/**
 * Connects before traffic, adds `redis` to /readyz and disconnects on shutdown. The readiness
 * checks are built by ServiceRuntimeModule, which has no option for extra ones; the gateway adds
 * its check to that same list (READINESS_CHECKS) before the app listens.
 */
@Injectable()
export class RedisLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(
    private readonly redis: Redis,
    private readonly moduleRef: ModuleRef,
  ) {
    // ioredis emits 'error' on every failed reconnect; without a listener Node would treat it as unhandled.
    redis.on('error', (error: Error) => this.logger.warn(`Redis error: ${error.message}`));
  }

  async onModuleInit(): Promise<void> {
    const checks = this.moduleRef.get<ReadinessCheck[]>(READINESS_CHECKS, { strict: false });
    // The gateway serves without Redis (rate limits in memory, idempotency decided by intents), so
    // Redis is reported in /readyz but does not make the gateway unready.
    if (!checks.some((check) => check.name === 'redis')) checks.push({ ...redisCheck(this.redis), optional: true });
    if (!(await waitUntilReady(this.redis, REDIS_READY_WAIT_MS))) {
      this.logger.warn(
        `Redis not ready after ${REDIS_READY_WAIT_MS} ms: serving degraded (rate limits in memory, idempotency decided by intents)`,
      );
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    {
      provide: Redis,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) => createGatewayRedis(config.REDIS_URL),
    },
    RedisKeys,
    RedisLifecycle,
  ],
  exports: [Redis, RedisKeys],
})
export class RedisModule {}
