import { Transform } from 'class-transformer';
import { IsInt, IsString, IsUrl, Matches, Max, Min, ValidateBy, ValidationArguments } from 'class-validator';
import { EnvInt, InternalApiConfig } from '@payflow/platform/config';
import { parseDurationMs } from './duration';

const SERVICE_URL = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The sync facade of intents must answer (202) before the gateway stops waiting for it, or a
 * merchant sees a 504 for a request that is still running: SYNC_WAIT_MS < API_TIMEOUT.
 */
/** A whole number of milliseconds within [min, max], with one message that says how to write it. */
function IsDurationMs(min: number, max: number): PropertyDecorator {
  return ValidateBy({
    name: 'isDurationMs',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max,
      defaultMessage: () =>
        `must be a duration from ${min} ms to ${max / 1000} s, such as 10s, 500ms or 10000 (milliseconds)`,
    },
  });
}

function IsBelowApiTimeout(): PropertyDecorator {
  return ValidateBy({
    name: 'isBelowApiTimeout',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => {
        const timeout = (args?.object as GatewayConfig | undefined)?.API_TIMEOUT;
        // A malformed API_TIMEOUT is reported on its own; comparing with it would only add noise.
        if (typeof timeout !== 'number' || !Number.isInteger(timeout)) return true;
        return typeof value === 'number' && value < timeout;
      },
      defaultMessage: (args?: ValidationArguments) =>
        `must be below API_TIMEOUT (${String((args?.object as GatewayConfig | undefined)?.API_TIMEOUT)} ms), ` +
        `so intents answers 202 before the gateway gives up on the call`,
    },
  });
}

/** Every variable the gateway reads, validated at start-up; a bad one stops it naming the variable. */
export class GatewayConfig extends InternalApiConfig {
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  API_PORT = 8080;

  /**
   * Longest wait for an owning service, in milliseconds. Accepts `30s` (the seed's format), `500ms`,
   * `2m` or plain milliseconds. The idempotency in-flight marker lives API_TIMEOUT + 5 s.
   */
  @Transform(({ value }) => (typeof value === 'string' ? (parseDurationMs(value) ?? value) : value))
  @IsDurationMs(100, 300_000)
  API_TIMEOUT = 10_000;

  /** How long intents waits for a PSP outcome before answering 202; read here only to check it. */
  @EnvInt()
  @IsInt()
  @Min(0)
  @IsBelowApiTimeout()
  SYNC_WAIT_MS = 5_000;

  /** `Authorization: Bearer <ADMIN_API_KEY>` guards /admin. */
  @IsString()
  @Matches(/^\S{16,}$/, { message: 'must be at least 16 characters without spaces' })
  ADMIN_API_KEY!: string;

  /** Key of the HMAC-SHA256 under which API keys are stored; rotating it invalidates every key. */
  @IsString()
  @Matches(/^\S{16,}$/, { message: 'must be at least 16 characters without spaces' })
  API_KEY_HASH_SECRET!: string;

  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL!: string;

  /** Namespace of every Redis key the gateway writes, so environments (and tests) sharing a Redis never collide. */
  @Matches(/^[A-Za-z0-9:._-]{1,64}$/, { message: 'must be 1-64 letters, digits, ":", ".", "_" or "-"' })
  REDIS_KEY_PREFIX = 'payflow:gw:';

  @IsUrl(SERVICE_URL)
  INTENTS_URL = 'http://localhost:8081';

  @IsUrl(SERVICE_URL)
  LEDGER_URL = 'http://localhost:8083';

  @IsUrl(SERVICE_URL)
  WEBHOOKS_URL = 'http://localhost:8084';

  /** Customers, prices, subscriptions, invoices, test clocks and billing settings. */
  @IsUrl(SERVICE_URL)
  BILLING_URL = 'http://localhost:8085';

  /** Dunning settings and invoices' payment attempts (the dunning service). */
  @IsUrl(SERVICE_URL)
  DUNNING_URL = 'http://127.0.0.1:8086';

  /** Sustained requests per second per merchant (the token bucket's refill rate). */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_PER_SECOND = 100;

  /** Requests a merchant may send at once (the token bucket's capacity). */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  RATE_LIMIT_BURST = 200;

  /** How long an authenticated key's merchant is cached in memory: the delay before a revoked key stops working. */
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(300_000)
  MERCHANT_CACHE_TTL_MS = 30_000;
}
