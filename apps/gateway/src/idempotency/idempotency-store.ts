import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { GatewayConfig } from '../config/gateway.config';
import { RedisKeys } from '../redis/redis-keys';
import {
  COMPLETED_TTL_MS,
  CompletedRecord,
  IN_FLIGHT_MARGIN_MS,
  IdempotencyRecord,
  InFlightRecord,
} from './idempotency-records';

/** Returns what the key holds, or sets the in-flight marker and returns nil: one atomic step. */
const RESERVE = `
local existing = redis.call('GET', KEYS[1])
if existing then return existing end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`;

/** Replaces the marker only if it is still this request's (it may have expired and been retaken). */
const COMPLETE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

type IdempotencyRedis = Redis & {
  idempotencyReserve(key: string, marker: string, ttlMs: number): Promise<string | null>;
  idempotencyComplete(key: string, marker: string, record: string, ttlMs: number): Promise<number>;
  idempotencyRelease(key: string, marker: string): Promise<number>;
};

/** A marker this request holds: what it needs to complete or release it. */
export interface Reservation {
  redisKey: string;
  marker: string;
}

export type ReserveResult = { reserved: Reservation } | { existing: IdempotencyRecord };

/**
 * Idempotency records in Redis, one string key per (scope, Idempotency-Key) holding JSON: first an
 * in-flight marker (SET NX semantics, TTL API_TIMEOUT + 5 s), then the completed answer (TTL 24 h).
 */
@Injectable()
export class IdempotencyStore {
  private readonly redis: IdempotencyRedis;
  private readonly inFlightTtlMs: number;

  constructor(
    redis: Redis,
    private readonly keys: RedisKeys,
    config: GatewayConfig,
  ) {
    redis.defineCommand('idempotencyReserve', { numberOfKeys: 1, lua: RESERVE });
    redis.defineCommand('idempotencyComplete', { numberOfKeys: 1, lua: COMPLETE });
    redis.defineCommand('idempotencyRelease', { numberOfKeys: 1, lua: RELEASE });
    this.redis = redis as IdempotencyRedis;
    this.inFlightTtlMs = config.API_TIMEOUT + IN_FLIGHT_MARGIN_MS;
  }

  async reserve(
    scope: string,
    key: string,
    fingerprint: string,
    requestId: string | undefined,
  ): Promise<ReserveResult> {
    const redisKey = this.keys.idempotency(scope, key);
    const record: InFlightRecord = {
      state: 'in_flight',
      fingerprint,
      token: randomUUID(),
      request_id: requestId,
    };
    const marker = JSON.stringify(record);
    const existing = await this.redis.idempotencyReserve(redisKey, marker, this.inFlightTtlMs);
    return existing === null
      ? { reserved: { redisKey, marker } }
      : { existing: JSON.parse(existing) as IdempotencyRecord };
  }

  async complete(reservation: Reservation, record: CompletedRecord): Promise<void> {
    await this.redis.idempotencyComplete(
      reservation.redisKey,
      reservation.marker,
      JSON.stringify(record),
      COMPLETED_TTL_MS,
    );
  }

  async release(reservation: Reservation): Promise<void> {
    await this.redis.idempotencyRelease(reservation.redisKey, reservation.marker);
  }
}
