import { IsInt, IsString, IsUrl, Max, Min, MinLength } from 'class-validator';
import { EnvInt, InternalApiConfig } from '@payflow/platform/config';

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The orchestrator's environment (docs/orchestrator.md, "Configuration"). PSP credentials have no
 * defaults here: `npm start` supplies local ones pointing at the PSP simulator, production its
 * secrets, and a missing one stops the service at start-up naming the variable.
 */
export class OrchestratorConfig extends InternalApiConfig {
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  ORCHESTRATOR_PORT = 8082;

  // PSP connections (libs/psp `createConnectors`).

  @IsString()
  @MinLength(1)
  STRIPE_API_KEY!: string;

  /** `https://api.stripe.com`, or the simulator (`http://localhost:8090`): the SDK's host/port/protocol. */
  @IsUrl(URL_OPTIONS)
  STRIPE_API_BASE = 'https://api.stripe.com';

  @IsString()
  @MinLength(1)
  ADYEN_API_KEY!: string;

  /** Checkout base without the version: `https://checkout-test.adyen.com`, or `http://localhost:8090/checkout`. */
  @IsUrl(URL_OPTIONS)
  ADYEN_API_BASE = 'https://checkout-test.adyen.com';

  @IsString()
  @MinLength(1)
  ADYEN_MERCHANT_ACCOUNT!: string;

  /** Per PSP call; a timeout after sending is an indeterminate outcome. */
  @EnvInt()
  @IsInt()
  @Min(50)
  @Max(120_000)
  PSP_TIMEOUT_MS = 10_000;

  // Retries (worker/retry-policy.ts).

  /** First retry delay; doubles per try, with jitter, up to RETRY_MAX_DELAY_MS. */
  @EnvInt()
  @IsInt()
  @Min(1)
  RETRY_BASE_DELAY_MS = 250;

  @EnvInt()
  @IsInt()
  @Min(1)
  RETRY_MAX_DELAY_MS = 30_000;

  /** Calls of one attempt that surely did nothing (refused, 429, not processed) before it fails. */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(50)
  NOT_EXECUTED_MAX_TRIES = 5;

  /** Same-key calls of one attempt with an indeterminate answer before it is `unknown`. */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(50)
  INDETERMINATE_MAX_TRIES = 3;

  /** How often an `unknown` attempt is replayed with its key while waiting for a webhook. */
  @EnvInt()
  @IsInt()
  @Min(10)
  UNKNOWN_RETRY_INTERVAL_MS = 60_000;

  /**
   * How long an authorization may stay unresolved (unknown, or awaiting its webhook) before it is
   * cancelled at the PSP by reference; it is failed only when the PSP confirms the cancel.
   */
  @EnvInt()
  @IsInt()
  @Min(100)
  UNKNOWN_OUTCOME_DEADLINE_MS = 900_000;

  // The PSP's last word (docs/orchestrator.md, "Waiting attempts").

  /**
   * No same-key replay later than this after an attempt's first money call: Stripe forgets keys
   * after 24 h, and a replay then would be a new charge. Past it, the attempt is only read (Stripe)
   * or waits for its notification (Adyen).
   */
  @EnvInt()
  @IsInt()
  @Min(1_000)
  @Max(86_400_000)
  PSP_IDEMPOTENCY_REPLAY_WINDOW_MS = 23 * 60 * 60 * 1000;

  /** A waiting attempt (accepted, `processing`, a pending refund, unknown) at a PSP that can be read is retrieved after this. */
  @EnvInt()
  @IsInt()
  @Min(10)
  PSP_RECONCILE_AFTER_MS = 60_000;

  /** Retrieves then back off (doubling, with jitter) up to this interval. */
  @EnvInt()
  @IsInt()
  @Min(10)
  PSP_RECONCILE_MAX_INTERVAL_MS = 3_600_000;

  /** An operation awaiting a notification at a PSP without a read call (Adyen) is overdue after this: gauge and alert. */
  @EnvInt()
  @IsInt()
  @Min(10)
  PSP_NOTIFICATION_DEADLINE_MS = 900_000;

  /**
   * How long after it succeeded a refund at a PSP whose refunds can be read (Stripe) is read again:
   * it may still fail (`refund.failed`), and its webhook may be lost.
   */
  @EnvInt()
  @IsInt()
  @Min(0)
  PSP_REFUND_WATCH_MS = 3 * 24 * 60 * 60 * 1000;

  /** How often the worker refreshes `psp_operations_overdue` from the attempts table. */
  @EnvInt()
  @IsInt()
  @Min(100)
  PSP_OVERDUE_REFRESH_MS = 30_000;

  // Circuit breakers, per provider (breakers/breaker-settings.ts).

  /** Consecutive failed calls (not executed or indeterminate; never declines) that open the breaker. */
  @EnvInt()
  @IsInt()
  @Min(1)
  BREAKER_STRIPE_THRESHOLD = 5;

  /** How long an open breaker waits before it lets one probe call through (half-open). */
  @EnvInt()
  @IsInt()
  @Min(1)
  BREAKER_STRIPE_HALF_OPEN_AFTER_MS = 30_000;

  @EnvInt()
  @IsInt()
  @Min(1)
  BREAKER_ADYEN_THRESHOLD = 5;

  @EnvInt()
  @IsInt()
  @Min(1)
  BREAKER_ADYEN_HALF_OPEN_AFTER_MS = 30_000;

  // The attempt worker (worker/attempt-worker.ts).

  /** Fallback poll of due attempts; inserts and reschedules also wake the workers by NOTIFY. */
  @EnvInt()
  @IsInt()
  @Min(10)
  WORKER_POLL_INTERVAL_MS = 500;

  /** Worker loops in this process; each claims its own batch. */
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(32)
  WORKER_COUNT = 2;

  /**
   * A claim's lease is PSP_TIMEOUT_MS plus this margin (the second transaction's time): a claim
   * that has not recorded its outcome by then lapses, and the next claim marks the attempt maybe
   * executed.
   */
  @EnvInt()
  @IsInt()
  @Min(100)
  WORKER_LEASE_MARGIN_MS = 5_000;

  /** Most attempts one worker claims (and calls concurrently) at a time. */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(100)
  WORKER_BATCH_SIZE = 10;

  /** Window of `psp_error_rate{provider}`. */
  @EnvInt()
  @IsInt()
  @Min(1_000)
  PSP_ERROR_RATE_WINDOW_MS = 60_000;
}
