import type { Provider } from '@payflow/contracts';
import type { OrchestratorConfig } from '../orchestrator.config';

export interface BreakerSettings {
  /** Consecutive failed calls that open the breaker. */
  threshold: number;
  /** How long it stays open before one probe call may pass (half-open). */
  halfOpenAfterMs: number;
}

/** BREAKER_<PROVIDER>_THRESHOLD and BREAKER_<PROVIDER>_HALF_OPEN_AFTER_MS, per provider. */
export function breakerSettingsFrom(config: OrchestratorConfig): Record<Provider, BreakerSettings> {
  return {
    stripe: {
      threshold: config.BREAKER_STRIPE_THRESHOLD,
      halfOpenAfterMs: config.BREAKER_STRIPE_HALF_OPEN_AFTER_MS,
    },
    adyen: {
      threshold: config.BREAKER_ADYEN_THRESHOLD,
      halfOpenAfterMs: config.BREAKER_ADYEN_HALF_OPEN_AFTER_MS,
    },
  };
}
