import { IsInt, Max, Min } from 'class-validator';
import { EnvInt, InternalApiConfig, IsPositiveDuration } from '@payflow/platform/config';

export class IntentsConfig extends InternalApiConfig {
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  INTENTS_PORT = 8081;

  /**
   * How long authorize, capture and cancel wait for the orchestrator's result before answering
   * `202` with the in-between status. 0 answers `202` at once. Must stay below the gateway's
   * API_TIMEOUT (the gateway checks that at its start-up).
   */
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(60_000)
  SYNC_WAIT_MS = 5_000;

  /**
   * How long an authorization is held before it is voided: a number with a unit, `7d`, `168h`,
   * `90m`, `45s`, or plain seconds (`604800`).
   */
  @IsPositiveDuration('s')
  AUTHORIZATION_TTL = '7d';

  /** How often the expiry scheduler looks for expired authorizations. */
  @EnvInt()
  @IsInt()
  @Min(100)
  EXPIRY_INTERVAL_MS = 60_000;

  /** Most intents one expiry pass voids (each pass is one short transaction). */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(1_000)
  EXPIRY_BATCH_SIZE = 100;

  /** How long durable idempotency records are kept (API.md: keys are kept 24 h). */
  @EnvInt()
  @IsInt()
  @Min(1)
  IDEMPOTENCY_RETENTION_HOURS = 24;
}
