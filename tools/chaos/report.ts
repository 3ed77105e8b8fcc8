/** The run's result: one JSON object, printed as the last line. */
import type { SubscriptionResult } from './billing-workload';
import type { InjectedFault } from './faults';
import type { InvariantResult } from './invariants';
import type { ChaosOptions } from './options';
import type { PaymentResult } from './workload';

export interface ChaosReport {
  seed: number;
  passed: boolean;
  options: {
    payments: number;
    subscriptions: number;
    faults: string[];
    psp_faults: string[];
    short: boolean;
    concurrency: number;
  };
  counts: {
    payments: number;
    intents: number;
    by_outcome: Record<string, number>;
    client_retries: number;
    client_errors: string[];
    /** The billing workload: subscriptions by planned renewal, and where the workload left each renewal. */
    subscriptions: {
      total: number;
      by_kind: Record<string, number>;
      renewals: Record<string, number>;
      client_errors: string[];
    };
    /** Extra one-day advances made because a retry was still scheduled (technical failures). */
    clock_extra_advances: number;
  };
  faults: InjectedFault[];
  quiescence: { reached: boolean; waited_s: number; last?: unknown };
  invariants: Record<string, { verdict: string; detail: string; examples?: string[] }>;
  duration_s: number;
  phases_s: Record<string, number>;
}

export function countOutcomes(results: PaymentResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) counts[result.outcome] = (counts[result.outcome] ?? 0) + 1;
  return counts;
}

/** Passed only when every invariant passed and quiescence was reached ("unavailable" is not a pass). */
export function passed(invariants: InvariantResult[], quiet: boolean): boolean {
  return quiet && invariants.every((i) => i.verdict === 'pass');
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

export function buildReport(input: {
  options: ChaosOptions;
  results: PaymentResult[];
  subscriptions: SubscriptionResult[];
  clockExtraAdvances: number;
  intents: number;
  retries: number;
  faults: InjectedFault[];
  quiescence: ChaosReport['quiescence'];
  invariants: InvariantResult[];
  startedAt: number;
  phases: Record<string, number>;
}): ChaosReport {
  const { options, results, invariants } = input;
  return {
    seed: options.seed,
    passed: passed(invariants, input.quiescence.reached),
    options: {
      payments: options.payments,
      subscriptions: options.subscriptions,
      faults: options.faults,
      psp_faults: options.pspFaults,
      short: options.short,
      concurrency: options.concurrency,
    },
    counts: {
      payments: results.length,
      intents: input.intents,
      by_outcome: countOutcomes(results),
      client_retries: input.retries,
      client_errors: results
        .filter((r) => r.outcome === 'client_error')
        .slice(0, 5)
        .map((r) => `${r.index} ${r.intentId ?? ''}: ${r.detail ?? ''}`),
      subscriptions: {
        total: input.subscriptions.length,
        by_kind: countBy(input.subscriptions, (s) => s.kind),
        renewals: countBy(input.subscriptions, (s) => s.renewal ?? 'unknown'),
        client_errors: input.subscriptions
          .filter((s) => s.outcome === 'client_error')
          .slice(0, 5)
          .map((s) => `#${s.index} ${s.subscriptionId ?? ''}: ${s.detail ?? ''}`),
      },
      clock_extra_advances: input.clockExtraAdvances,
    },
    faults: input.faults,
    quiescence: input.quiescence,
    invariants: Object.fromEntries(invariants.map(({ name, ...rest }) => [name, rest])),
    duration_s: Math.round((Date.now() - input.startedAt) / 1000),
    phases_s: input.phases,
  };
}
