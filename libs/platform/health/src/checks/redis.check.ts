import type { Redis } from 'ioredis';
import type { ReadinessCheck } from '../readiness-check';

/**
 * Redis answers PING. A client that is not connected is down at once: ioredis would otherwise queue
 * the PING until it reconnects and the probe would only end at the timeout.
 */
export function redisCheck(redis: Pick<Redis, 'status' | 'ping'>): ReadinessCheck {
  return {
    name: 'redis',
    check: async () => redis.status === 'ready' && (await redis.ping()) === 'PONG',
  };
}
