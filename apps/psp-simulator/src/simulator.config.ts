import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateBy,
} from 'class-validator';
import { EnvBool, EnvInt, LOG_LEVELS } from '@payflow/platform/config';
import { FaultSpecError, parseFaultSpec } from './faults/fault-spec';

/** Local defaults for the webhook secrets; `npm start` must give the webhooks service the same ones. */
export const DEFAULT_STRIPE_WEBHOOK_SECRET = 'whsec_payflow_local_stripe_secret';
export const DEFAULT_ADYEN_HMAC_KEY = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';

function IsFaultSpec(): PropertyDecorator {
  return ValidateBy({
    name: 'isFaultSpec',
    validator: {
      validate: (value: unknown) => {
        if (typeof value !== 'string') return false;
        try {
          parseFaultSpec(value);
          return true;
        } catch {
          return false;
        }
      },
      defaultMessage: (args) => {
        try {
          parseFaultSpec(String(args?.value ?? ''));
          return `${args?.property} is not a fault spec`;
        } catch (error) {
          return `${args?.property} is not a valid fault spec: ${error instanceof FaultSpecError ? error.message : String(error)}`;
        }
      },
    },
  });
}

const URL_OPTIONS = { require_tld: false, require_protocol: true, protocols: ['http', 'https'] };

/**
 * The PSP simulator's environment. It has no database or Kafka, so it does not extend
 * BaseServiceConfig. Secrets default to local values so `npm start` works out of the box.
 */
export class SimulatorConfig {
  /** 0 picks a free port (tests). */
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(65535)
  PSP_SIMULATOR_PORT = 8090;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsOptional()
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(65535)
  PROMETHEUS_PORT?: number;

  /** Signs the Stripe webhooks it sends (`Stripe-Signature`). */
  @IsString()
  @MinLength(8)
  STRIPE_WEBHOOK_SECRET = DEFAULT_STRIPE_WEBHOOK_SECRET;

  /** Hex HMAC key signing each Adyen notification item. */
  @Matches(/^(?:[0-9a-fA-F]{2}){16,}$/, { message: 'must be a hex string of at least 16 bytes' })
  ADYEN_HMAC_KEY = DEFAULT_ADYEN_HMAC_KEY;

  /** When set, Stripe calls must carry this API key; otherwise any `Bearer` key is accepted. */
  @IsOptional()
  @IsString()
  STRIPE_API_KEY?: string;

  /** When set, Adyen calls must carry this `X-API-Key`; otherwise any is accepted. */
  @IsOptional()
  @IsString()
  ADYEN_API_KEY?: string;

  @IsUrl(URL_OPTIONS)
  SIMULATOR_WEBHOOK_URL_STRIPE = 'http://localhost:8084/webhooks/stripe';

  @IsUrl(URL_OPTIONS)
  SIMULATOR_WEBHOOK_URL_ADYEN = 'http://localhost:8084/webhooks/adyen';

  @EnvBool()
  @IsBoolean()
  SIMULATOR_WEBHOOKS_ENABLED = true;

  /** Delay before a webhook is sent (the PSP's processing time); "within a second" by default. */
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(60_000)
  SIMULATOR_WEBHOOK_DELAY_MS = 100;

  /** First retry delay of an undelivered webhook; doubles on each further attempt (jittered). */
  @EnvInt()
  @IsInt()
  @Min(1)
  SIMULATOR_WEBHOOK_RETRY_BASE_MS = 500;

  /** Longest wait between two delivery attempts of one webhook (before jitter). */
  @EnvInt()
  @IsInt()
  @Min(1)
  @Max(86_400_000)
  SIMULATOR_WEBHOOK_RETRY_MAX_DELAY_MS = 3_600_000;

  /**
   * How long an undelivered webhook is retried, from its first delivery attempt, before it is
   * dropped (logged): 3 days, as Stripe does. Tests compress it.
   */
  @EnvInt()
  @IsInt()
  @Min(1)
  SIMULATOR_WEBHOOK_RETRY_SPAN_MS = 259_200_000;

  @EnvInt()
  @IsInt()
  @Min(1)
  SIMULATOR_WEBHOOK_TIMEOUT_MS = 5_000;

  /** How long a reordered webhook waits for the next one before it is sent anyway. */
  @EnvInt()
  @IsInt()
  @Min(1)
  SIMULATOR_WEBHOOK_REORDER_HOLD_MS = 2_000;

  /** Seed of every fault decision (per provider, per stream). */
  @EnvInt()
  @IsInt()
  SIMULATOR_SEED = 1;

  /** Fault spec for Stripe, e.g. `latency_ms=20,error_5xx_executed=0.1` (see faults/fault-spec.ts). */
  @IsFaultSpec()
  SIMULATOR_FAULTS_STRIPE = '';

  @IsFaultSpec()
  SIMULATOR_FAULTS_ADYEN = '';

  /** How late `pm_card_timeout` answers (it is executed at once; only the answer is late). */
  @EnvInt()
  @IsInt()
  @Min(0)
  SIMULATOR_SLOW_RESPONSE_MS = 15_000;

  /**
   * How long after a capture or refund succeeded its later failure happens (CAPTURE_FAILED,
   * REFUND_FAILED, REFUNDED_REVERSED, a Stripe refund turning `failed`): the success's
   * notification goes first, then the failure's.
   */
  @EnvInt()
  @IsInt()
  @Min(0)
  @Max(600_000)
  SIMULATOR_LATE_FAILURE_DELAY_MS = 1_000;

  /** How long an injected timeout holds the answer if the client has not given up first. */
  @EnvInt()
  @IsInt()
  @Min(0)
  SIMULATOR_TIMEOUT_HOLD_MS = 30_000;
}
