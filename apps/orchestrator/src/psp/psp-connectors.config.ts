import type { PspConnectorsConfig } from '@payflow/psp';
import type { OrchestratorConfig } from '../orchestrator.config';

/** What `createConnectors` needs, from the orchestrator's environment. */
export function pspConnectorsConfigFrom(config: OrchestratorConfig): PspConnectorsConfig {
  return {
    stripe: {
      apiKey: config.STRIPE_API_KEY,
      apiBaseUrl: config.STRIPE_API_BASE,
      timeoutMs: config.PSP_TIMEOUT_MS,
    },
    adyen: {
      apiKey: config.ADYEN_API_KEY,
      merchantAccount: config.ADYEN_MERCHANT_ACCOUNT,
      checkoutBaseUrl: config.ADYEN_API_BASE,
      timeoutMs: config.PSP_TIMEOUT_MS,
    },
  };
}
