import { Injectable, Logger } from '@nestjs/common';
import { PROVIDERS, type Provider } from '@payflow/contracts';
import { circuitBreakerState } from '../metrics/orchestrator-metrics';
import { OrchestratorConfig } from '../orchestrator.config';
import { breakerSettingsFrom } from './breaker-settings';
import { BREAKER_STATE_GAUGE, ProviderBreaker, type BreakerState } from './provider-breaker';

/**
 * A circuit breaker per provider, shared by routing (skip open providers) and the worker (every PSP
 * call passes through its provider's breaker). In-process state: each replica judges the PSPs on
 * the calls it makes itself.
 */
@Injectable()
export class ProviderBreakers {
  private readonly logger = new Logger(ProviderBreakers.name);
  private readonly breakers: Record<Provider, ProviderBreaker>;

  constructor(config: OrchestratorConfig) {
    const settings = breakerSettingsFrom(config);
    this.breakers = Object.fromEntries(
      PROVIDERS.map((provider) => {
        circuitBreakerState.set({ provider }, BREAKER_STATE_GAUGE.closed);
        const breaker = new ProviderBreaker(settings[provider], (state) => this.changed(provider, state));
        return [provider, breaker];
      }),
    ) as Record<Provider, ProviderBreaker>;
  }

  of(provider: Provider): ProviderBreaker {
    return this.breakers[provider];
  }

  isAvailable(provider: Provider): boolean {
    return this.breakers[provider].isAvailable();
  }

  state(provider: Provider): BreakerState {
    return this.breakers[provider].state;
  }

  private changed(provider: Provider, state: BreakerState): void {
    circuitBreakerState.set({ provider }, BREAKER_STATE_GAUGE[state]);
    this.logger.log(`${provider} circuit breaker is now ${state}`);
  }
}
