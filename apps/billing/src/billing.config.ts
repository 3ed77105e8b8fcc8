import { IsBoolean, IsInt, Max, Min } from 'class-validator';
import { EnvBool, EnvInt, InternalApiConfig, IsPositiveDuration, parseDurationMs } from '@payflow/platform/config';

/** Every variable the billing service reads, validated at start-up (a bad one stops it, named). */
export class BillingConfig extends InternalApiConfig {
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  BILLING_PORT = 8085;

  /**
   * How long a renewal's draft invoice stays editable before it is finalized and its payment
   * requested (DESIGN.md "Billing": default 1 h, as Stripe does). `1h`, `90m`, `45s`, `1500ms`,
   * or a plain number of milliseconds. Measured on the customer's clock.
   */
  @IsPositiveDuration('ms')
  BILLING_DRAFT_WINDOW = '1h';

  /** How long durable idempotency records are kept (API.md: keys are kept 24 h). */
  @EnvInt()
  @IsInt()
  @Min(1)
  IDEMPOTENCY_RETENTION_HOURS = 24;

  /**
   * A test clock held at one instant longer than this (payments without an answer, failing work)
   * is counted in `billing_test_clock_waiting` and logged; it keeps waiting (docs/billing.md "Test
   * clocks and time").
   */
  @EnvInt()
  @IsInt()
  @Min(1)
  TEST_CLOCK_STEP_TIMEOUT_MS = 600_000;

  /**
   * Whether test clocks wait for dunning at every step that has a failed invoice (the dunning gate:
   * docs/dunning.md "Billing's side"). Off only where billing runs without the dunning service and
   * its clocks decline renewals (bench:billing), so they do not wait TEST_CLOCK_STEP_TIMEOUT_MS at
   * every such instant.
   */
  @EnvBool()
  @IsBoolean()
  BILLING_DUNNING_GATE = true;

  /** Polling fallback of the test clock advance saga (an advance wakes it at once through NOTIFY). */
  @EnvInt()
  @IsInt()
  @Min(10)
  @Max(60_000)
  TEST_CLOCK_POLL_INTERVAL_MS = 500;

  /** BILLING_DRAFT_WINDOW in milliseconds (validated above, so this never throws after start-up). */
  get draftWindowMs(): number {
    return parseDurationMs(this.BILLING_DRAFT_WINDOW, 'ms');
  }
}
