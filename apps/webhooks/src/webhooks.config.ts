import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { EnvBool, EnvInt, InternalApiConfig } from '@payflow/platform/config';

/** Every variable the webhooks service reads, validated at start-up (a bad one stops it, named). */
export class WebhooksConfig extends InternalApiConfig {
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  WEBHOOKS_PORT = 8084;

  // ── PSP webhooks ───────────────────────────────────────────────────────────────────────────────

  /**
   * Stripe's endpoint secret (`whsec_…`). Without it `POST /webhooks/stripe` refuses everything
   * (400): a service that cannot verify must not accept. Never logged.
   */
  @IsOptional()
  @IsString()
  @Matches(/^\S{8,}$/, { message: 'must be at least 8 characters without spaces' })
  STRIPE_WEBHOOK_SECRET?: string;

  /** Oldest Stripe signature accepted, in seconds (Stripe's own default: 300). */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(86_400)
  STRIPE_WEBHOOK_TOLERANCE_SECONDS = 300;

  /** Adyen's HMAC key, hex as the Customer Area shows it. Without it `POST /webhooks/adyen` refuses everything. */
  @IsOptional()
  @Matches(/^([0-9a-fA-F]{2}){16,}$/, { message: 'must be a hex key of at least 16 bytes' })
  ADYEN_HMAC_KEY?: string;

  /** How long received PSP events (raw payloads, the deduplication keys) are kept. */
  @EnvInt()
  @IsInt()
  @Min(1)
  RECEIVED_PSP_EVENTS_RETENTION_DAYS = 90;

  // ── Merchant webhooks ──────────────────────────────────────────────────────────────────────────

  /** Development only: also allow `http://` and loopback endpoint URLs (`npm start` sets it). */
  @EnvBool()
  @IsBoolean()
  WEBHOOK_ALLOW_INSECURE_URLS = false;

  /** Longest wait for a merchant endpoint's answer (connect, send, response headers and body). */
  @EnvInt()
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 5_000;

  /** Delay before the first retry; each later one doubles (with jitter). */
  @EnvInt()
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_BASE_MS = 5_000;

  /** Longest delay between two attempts, however many failed before. */
  @EnvInt()
  @IsInt()
  @Min(10)
  WEBHOOK_RETRY_MAX_DELAY_MS = 3_600_000;

  /** How long after the event a delivery is retried before it is marked failed (API.md: 24 h). */
  @EnvInt()
  @IsInt()
  @Min(1_000)
  WEBHOOK_RETRY_WINDOW_MS = 86_400_000;

  /** Deliveries in flight at once in this process, all endpoints together. */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(1_000)
  WEBHOOK_DELIVERY_CONCURRENCY = 32;

  /** Deliveries in flight at once to one endpoint: a slow endpoint holds at most this many slots. */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(16)
  WEBHOOK_ENDPOINT_CONCURRENCY = 2;

  /**
   * How often the delivery worker looks for due deliveries anyway. It is woken when deliveries
   * commit and when a retry comes due; the poll catches what another replica scheduled and attempts
   * whose process died (their lease expired).
   */
  @EnvInt()
  @IsInt()
  @Min(10)
  @Max(60_000)
  WEBHOOK_DELIVERY_POLL_MS = 1_000;

  /** How long merchant events (and their deliveries) are kept: API.md says 30 days. */
  @EnvInt()
  @IsInt()
  @Min(1)
  EVENT_RETENTION_DAYS = 30;

  /** How long durable idempotency records of endpoint creation are kept (API.md: keys live 24 h). */
  @EnvInt()
  @IsInt()
  @Min(1)
  IDEMPOTENCY_RETENTION_HOURS = 24;
}
