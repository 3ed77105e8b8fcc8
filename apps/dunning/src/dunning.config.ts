import { IsInt, Max, Min } from 'class-validator';
import { EnvInt, InternalApiConfig } from '@payflow/platform/config';
import type { NetworkLimits } from './budgets/budget-rules';

/** Every variable the dunning service reads, validated at start-up (a bad one stops it, named). */
export class DunningConfig extends InternalApiConfig {
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  DUNNING_PORT = 8086;

  /**
   * Visa's reattempt limit: at most this many reattempts of one card in 30 rolling days (Visa's
   * "excessive reattempts" rule: 15; DESIGN.md "Collections and dunning").
   */
  @EnvInt()
  @IsInt()
  @Min(1)
  VISA_MAX_REATTEMPTS_30D = 15;

  /** Mastercard's excessive-attempts rule: at most this many attempts of one card per 24 h (10). */
  @EnvInt()
  @IsInt()
  @Min(1)
  MASTERCARD_MAX_ATTEMPTS_24H = 10;

  /** Mastercard's excessive-attempts rule: at most this many attempts of one card per 30 days (35). */
  @EnvInt()
  @IsInt()
  @Min(1)
  MASTERCARD_MAX_ATTEMPTS_30D = 35;

  /**
   * How often the wall-clock scheduler looks for due retries and for cases whose wait for a new
   * card is over (test clocks are driven by `test_clock.advanced`, not by this).
   */
  @EnvInt()
  @IsInt()
  @Min(10)
  @Max(60_000)
  DUNNING_SCHEDULER_POLL_INTERVAL_MS = 1_000;

  /** How long durable idempotency records are kept (API.md: keys are kept 24 h). */
  @EnvInt()
  @IsInt()
  @Min(1)
  IDEMPOTENCY_RETENTION_HOURS = 24;

  /** The card networks' budgets, as the pure rules take them. */
  get networkLimits(): NetworkLimits {
    return {
      visaMaxReattempts30d: this.VISA_MAX_REATTEMPTS_30D,
      mastercardMaxAttempts24h: this.MASTERCARD_MAX_ATTEMPTS_24H,
      mastercardMaxAttempts30d: this.MASTERCARD_MAX_ATTEMPTS_30D,
    };
  }
}
