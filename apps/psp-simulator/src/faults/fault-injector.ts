import type { Provider } from '@payflow/contracts';
import { NO_FAULTS, type FaultSpec } from './fault-spec';
import { SeededRandom, deriveSeed } from './seeded-random';

export type RequestFault =
  | 'none'
  | 'error_5xx_executed'
  | 'error_5xx_not_executed'
  | 'error_5xx_saved'
  | 'timeout'
  | 'reset'
  | 'reset_after_execution'
  | 'rate_limit';

/** How a refund that succeeded ends (Adyen REFUND_FAILED / REFUNDED_REVERSED, Stripe refund.failed). */
export type RefundFate = 'stays' | 'fails' | 'reversed';

export interface RequestFaultDecision {
  latencyMs: number;
  fault: RequestFault;
}

export interface WebhookFaultDecision {
  extraDelayMs: number;
  duplicate: boolean;
  reorder: boolean;
  /** Never delivered (`webhook_drop`). */
  drop: boolean;
}

interface ProviderFaults {
  spec: FaultSpec;
  requests: SeededRandom;
  webhooks: SeededRandom;
  /** Later fates of operations that succeeded (capture_failed, refund_failed, refund_reversed). */
  outcomes: SeededRandom;
  injected: number;
}

/**
 * Decides, per provider, which fault (if any) each API request and each webhook gets, and whether a
 * capture or refund that succeeded fails later. Decisions come from seeded PRNGs — one stream for
 * requests, one for webhooks, one for later outcomes — and every decision draws
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
      outcomes: new SeededRandom(deriveSeed(seed, provider, 'outcomes')),
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
      ['error_5xx_saved', spec.error5xxSaved],
      ['reset_after_execution', spec.resetAfterExecution],
    ]);
    if (fault !== 'none') state.injected += 1;
    return { latencyMs, fault };
  }

  decideWebhook(provider: Provider): WebhookFaultDecision {
    const state = this.state(provider);
    const duplicateRoll = state.webhooks.next();
    const reorderRoll = state.webhooks.next();
    const dropRoll = state.webhooks.next();
    const lateRoll = state.webhooks.next();
    const late = lateRoll < state.spec.webhookLate;
    return {
      extraDelayMs: state.spec.webhookDelayMs + (late ? state.spec.webhookLateMs : 0),
      duplicate: duplicateRoll < state.spec.webhookDuplicate,
      reorder: reorderRoll < state.spec.webhookReorder,
      drop: dropRoll < state.spec.webhookDrop,
    };
  }

  /** Whether a capture the PSP confirmed fails later (`capture_failed`). */
  decideCaptureFails(provider: Provider): boolean {
    const state = this.state(provider);
    return state.outcomes.next() < state.spec.captureFailed;
  }

  /** Whether a refund that succeeded fails later, and how (`refund_failed`, `refund_reversed`). */
  decideRefundFate(provider: Provider): RefundFate {
    const state = this.state(provider);
    const roll = state.outcomes.next();
    if (roll < state.spec.refundFailed) return 'fails';
    if (roll < state.spec.refundFailed + state.spec.refundReversed) return 'reversed';
    return 'stays';
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
