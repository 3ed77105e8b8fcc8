import { IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { EnvInt } from './env-decorators';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Variables every service reads. A service extends this with its own. */
export class BaseServiceConfig {
  /** The Postgres cluster (administrative role; services derive their own role's URL from it). */
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// URL' })
  DATABASE_URL!: string;

  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(50)
  DB_POOL_MAX = 5;

  /** Longest wait for a new Postgres connection (pool and dedicated sessions) before it fails. */
  @EnvInt()
  @IsInt()
  @Min(100)
  DB_CONNECT_TIMEOUT_MS = 5_000;

  /** Server-side statement_timeout of every pooled session (57014 counts as a handler failure). */
  @EnvInt()
  @IsInt()
  @Min(100)
  DB_STATEMENT_TIMEOUT_MS = 30_000;

  /** Server-side lock_timeout of every pooled session (55P03 counts as a handler failure). */
  @EnvInt()
  @IsInt()
  @Min(100)
  DB_LOCK_TIMEOUT_MS = 10_000;

  /** Server-side idle_in_transaction_session_timeout: a stuck client cannot hold locks for ever. */
  @EnvInt()
  @IsInt()
  @Min(100)
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

  /** SIGTERM to exit, at most: past it the process logs what overran and exits anyway. */
  @EnvInt()
  @IsInt()
  @Min(1_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Comma-separated host:port list. */
  @Matches(/^[^\s,:]+:\d+(,[^\s,:]+:\d+)*$/, { message: 'must be a comma-separated list of host:port' })
  KAFKA_BROKERS!: string;

  /**
   * Prefix of every Kafka topic and consumer group, so several environments (npm start, npm test,
   * a benchmark) can share one broker without reading each other's events. Empty in production.
   */
  @IsOptional()
  @Matches(/^[a-zA-Z0-9._-]*$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
  KAFKA_TOPIC_PREFIX = '';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  PROMETHEUS_PORT?: number;

  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @EnvInt()
  @IsInt()
  @Min(1)
  OUTBOX_RETENTION_HOURS = 72;

  @EnvInt()
  @IsInt()
  @Min(1)
  INBOX_RETENTION_HOURS = 72;

  @EnvInt()
  @IsInt()
  @Min(10)
  OUTBOX_POLL_INTERVAL_MS = 500;

  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(100)
  CONSUMER_MAX_ATTEMPTS = 5;

  @EnvInt()
  @IsInt()
  @Min(1)
  CONSUMER_RETRY_BACKOFF_MS = 200;

  /** Longest wait between two tries of a consumer waiting out a database or broker outage (never dead-lettered). */
  @EnvInt()
  @IsInt()
  @Min(10)
  CONSUMER_INFRASTRUCTURE_BACKOFF_MAX_MS = 5_000;
}

/** For services with internal HTTP endpoints (called by the gateway). */
export class InternalApiConfig extends BaseServiceConfig {
  @IsString()
  @Matches(/^\S{16,}$/, { message: 'must be at least 16 characters without spaces' })
  INTERNAL_API_TOKEN!: string;
}
