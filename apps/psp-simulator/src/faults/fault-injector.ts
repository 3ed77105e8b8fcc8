import type { Provider } from '@payflow/contracts';
import { NO_FAULTS, type FaultSpec } from './fault-spec';
import { SeededRandom, deriveSeed } from './seeded-random';

export type RequestFault =
  'none' | 'error_5xx_executed' | 'error_5xx_not_executed' | 'timeout' | 'reset' | 'rate_limit';

export interface RequestFaultDecision {
  latencyMs: number;
  fault: RequestFault;
}

export interface WebhookFaultDecision {
  extraDelayMs: number;
  duplicate: boolean;
  reorder: boolean;
}

interface ProviderFaults {
  spec: FaultSpec;
  requests: SeededRandom;
  webhooks: SeededRandom;
  injected: number;
}

/**
 * Decides, per provider, which fault (if any) each API request and each webhook gets. Decisions
 * come from seeded PRNGs — one stream for requests, one for webhooks — and every decision draws
 * the same count of numbers whatever it decides, so a given seed and request sequence always
 * produce the same faults.
 */
export class FaultInjector {
  private readonly providers = new Map<Provider, ProviderFaults>();

  constructor(
    private readonly baseSeed: number,
    initial: Partial<Record<Provider, FaultSpec>> = {},
  ) {
    for (const provider of ['stripe', 'adyen'] as const)
      this.configure(provider, initial[provider] ?? NO_FAULTS);
  }

  /** Replaces a provider's faults and restarts its random sequences (so a run can be replayed). */
  configure(provider: Provider, spec: FaultSpec): void {
    const seed = spec.seed ?? this.baseSeed;
    this.providers.set(provider, {
      spec: { ...spec },
      requests: new SeededRandom(deriveSeed(seed, provider, 'requests')),
      webhooks: new SeededRandom(deriveSeed(seed, provider, 'webhooks')),
      injected: 0,
    });
  }

  reset(provider: Provider): void {
    this.configure(provider, NO_FAULTS);
  }

  spec(provider: Provider): FaultSpec {
    return { ...this.state(provider).spec };
  }

  injected(provider: Provider): number {
    return this.state(provider).injected;
  }

  decideRequest(provider: Provider): RequestFaultDecision {
    const state = this.state(provider);
    const { spec } = state;
    const roll = state.requests.next();
    const jitterRoll = state.requests.next();
    const latencyMs = spec.latencyMs + Math.floor(jitterRoll * (spec.latencyJitterMs + 1));
    if (spec.limit !== undefined && state.injected >= spec.limit) return { latencyMs, fault: 'none' };
    const fault = pick(roll, [
      ['error_5xx_executed', spec.error5xxExecuted],
      ['error_5xx_not_executed', spec.error5xxNotExecuted],
      ['timeout', spec.timeout],
      ['reset', spec.reset],
      ['rate_limit', spec.rateLimit],
    ]);
    if (fault !== 'none') state.injected += 1;
    return { latencyMs, fault };
  }

  decideWebhook(provider: Provider): WebhookFaultDecision {
    const state = this.state(provider);
    const duplicateRoll = state.webhooks.next();
    const reorderRoll = state.webhooks.next();
    return {
      extraDelayMs: state.spec.webhookDelayMs,
      duplicate: duplicateRoll < state.spec.webhookDuplicate,
      reorder: reorderRoll < state.spec.webhookReorder,
    };
  }

  private state(provider: Provider): ProviderFaults {
    const state = this.providers.get(provider);
    if (!state) throw new Error(`unknown provider ${provider}`);
    return state;
  }
}

function pick(roll: number, choices: [RequestFault, number][]): RequestFault {
  let cumulative = 0;
  for (const [fault, probability] of choices) {
    cumulative += probability;
    if (probability > 0 && roll < cumulative) return fault;
  }
  return 'none';
}
