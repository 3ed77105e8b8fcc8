/**
 * The fault schedule, drawn from the seed before anything runs. A fault fires when the workload has
 * started `atPayment` payments (not at a wall-clock time), so the same seed injects each fault at
 * the same point of the same workload however fast this machine is.
 */
import type { Provider } from '@payflow/contracts';
import type { FaultKind, PspFaultKind } from './options';
import { PSP_TIMINGS } from './psp-settings';
import { randomStream, type Random } from './prng';

/** The services killed in turn (never the simulator: its memory is the PSPs' truth). */
export const KILLABLE_SERVICES = ['gateway', 'intents', 'orchestrator', 'ledger', 'webhooks'] as const;
/** Killed only with the billing workload (`--subscriptions`), from a stream of their own. */
export const BILLING_KILLABLE_SERVICES = ['billing', 'dunning'] as const;
export type KillableService = (typeof KILLABLE_SERVICES)[number] | (typeof BILLING_KILLABLE_SERVICES)[number];

export type FaultEvent =
  | { kind: 'postgres'; atPayment: number; durationMs: number }
  | { kind: 'kafka'; atPayment: number; durationMs: number }
  | { kind: 'kill'; atPayment: number; service: KillableService }
  | { kind: 'psp'; atPayment: number; durationMs: number; provider: Provider; spec: string }
  | { kind: 'webhooks'; atPayment: number; durationMs: number; provider: Provider; spec: string }
  | { kind: 'poison'; atPayment: number; count: number }
  | {
      kind: 'psp_side';
      atPayment: number;
      durationMs: number;
      provider: Provider;
      /** Which window: the PSP's later word and unkind answers, lost webhooks, or held answers. */
      window: PspSideWindow;
      spec: string;
    };

/**
 * PSP-side faults run in three kinds of window, one spec each:
 * - `last_word`: saved 500s, resets after execution, captures and refunds failing after success, late
 *   webhooks (held past the notification deadline);
 * - `webhook_drop` (Stripe only): lost webhooks, which PayFlow settles by retrieving. Adyen has no
 *   read call: a lost Adyen webhook would leave its operation waiting for ever (Adyen retries for
 *   days), so Adyen gets late webhooks instead. A window of its own, so no later failure of a refund
 *   (`refund.failed`, which nothing waits for) is lost: PayFlow could never learn of it;
 * - `timeout`: answers held past the client's timeout, most of the time, for longer than the
 *   unknown-outcome deadline, so authorizations reach `unknown` and then the deadline.
 */
export type PspSideWindow = 'last_word' | 'webhook_drop' | 'timeout';

type Unplaced = FaultEvent extends infer E ? (E extends FaultEvent ? Omit<E, 'atPayment'> : never) : never;

const PROVIDERS: readonly Provider[] = ['stripe', 'adyen'];

/** Request faults the platform already handles: 5xx before and after executing, 429, latency. */
function pspSpec(random: Random): string {
  const executed = random.int(3, 10) / 100;
  const notExecuted = random.int(3, 10) / 100;
  const rateLimit = random.int(3, 10) / 100;
  const latency = random.int(10, 150);
  return `error_5xx_executed=${executed},error_5xx_not_executed=${notExecuted},rate_limit=${rateLimit},latency_ms=${latency},latency_jitter_ms=${latency}`;
}

function webhookSpec(random: Random): string {
  return `webhook_duplicate=${random.int(20, 50) / 100},webhook_reorder=${random.int(20, 50) / 100},webhook_delay_ms=${random.int(200, 2000)}`;
}

function faultsOfKind(kind: FaultKind, random: Random, short: boolean, rounds: number): Unplaced[] {
  const repeat = (make: () => Unplaced): Unplaced[] => Array.from({ length: short ? 1 : rounds }, make);
  switch (kind) {
    case 'postgres':
      return repeat(() => ({ kind, durationMs: random.int(20, 40) * 1000 }));
    case 'kafka':
      return repeat(() => ({ kind, durationMs: random.int(10, 30) * 1000 }));
    case 'kill':
      // Each service in turn; the short run kills one, chosen by the seed.
      return short
        ? [{ kind, service: random.pick(KILLABLE_SERVICES) }]
        : KILLABLE_SERVICES.map((service) => ({ kind, service }));
    case 'psp':
      return (short ? [random.pick(PROVIDERS)] : PROVIDERS).map((provider) => ({
        kind,
        provider,
        durationMs: random.int(15, 30) * 1000,
        spec: pspSpec(random),
      }));
    case 'webhooks':
      return (short ? [random.pick(PROVIDERS)] : PROVIDERS).map((provider) => ({
        kind,
        provider,
        durationMs: random.int(15, 30) * 1000,
        spec: webhookSpec(random),
      }));
    case 'poison':
      return [{ kind, count: random.int(2, 4) }];
  }
}

const percent = (random: Random, low: number, high: number) => random.int(low, high) / 100;

/** The `last_word` spec of one PSP for the chosen faults; null when none applies to it. */
export function lastWordSpec(
  provider: Provider,
  faults: readonly PspFaultKind[],
  random: Random,
): string | null {
  const adyen = provider === 'adyen';
  const parts: string[] = [];
  // Request faults: with the other kinds' at most 0.12, far below the simulator's sum limit of 1.
  if (faults.includes('error_5xx_saved')) parts.push(`error_5xx_saved=${percent(random, 2, 6)}`);
  if (faults.includes('reset_after_execution')) parts.push(`reset_after_execution=${percent(random, 2, 6)}`);
  // Only Adyen's manual captures can fail later; REFUNDED_REVERSED is Adyen's (on Stripe it would be
  // refund_failed again).
  if (adyen && faults.includes('capture_failed')) parts.push(`capture_failed=${percent(random, 10, 30)}`);
  if (faults.includes('refund_failed')) parts.push(`refund_failed=${percent(random, 10, 30)}`);
  if (adyen && faults.includes('refund_reversed')) parts.push(`refund_reversed=${percent(random, 10, 20)}`);
  if (faults.includes('webhook_late')) {
    // Held past the notification deadline: the Adyen operation goes overdue, then settles.
    const lateMs = PSP_TIMINGS.notificationDeadlineMs + random.int(5, 20) * 1000;
    parts.push(`webhook_late=${percent(random, 10, 30)}`, `webhook_late_ms=${lateMs}`);
  }
  return parts.length ? parts.join(',') : null;
}

function pspSideFaults(
  faults: readonly PspFaultKind[],
  random: Random,
  short: boolean,
  rounds: number,
): Unplaced[] {
  const windows: Unplaced[] = [];
  for (let round = 0; round < (short ? 1 : rounds); round++) {
    for (const provider of PROVIDERS) {
      const lastWord = lastWordSpec(provider, faults, random);
      if (lastWord) {
        windows.push({
          kind: 'psp_side',
          window: 'last_word',
          provider,
          durationMs: random.int(15, 30) * 1000,
          spec: lastWord,
        });
      }
      if (provider === 'stripe' && faults.includes('webhook_drop')) {
        windows.push({
          kind: 'psp_side',
          window: 'webhook_drop',
          provider,
          durationMs: random.int(15, 30) * 1000,
          spec: `webhook_drop=${percent(random, 20, 50)}`,
        });
      }
      if (faults.includes('timeout')) {
        windows.push({
          kind: 'psp_side',
          window: 'timeout',
          provider,
          durationMs: PSP_TIMINGS.unknownOutcomeDeadlineMs + random.int(10, 30) * 1000,
          spec: `timeout=${percent(random, 50, 80)}`,
        });
      }
    }
  }
  return windows;
}

/**
 * With the billing workload and `kill` among the kinds: billing and dunning killed too (both in a
 * full run, one drawn in a short run), between 20 % and 80 % of the payments, while clocks advance
 * through renewals and retries. A stream of their own, so the other faults of a seed stay put.
 */
function billingKills(seed: number, payments: number, short: boolean): FaultEvent[] {
  const random = randomStream(seed, 'billing-kills');
  const services = short ? [random.pick(BILLING_KILLABLE_SERVICES)] : [...BILLING_KILLABLE_SERVICES];
  const low = Math.floor(payments * 0.2);
  const high = Math.max(low, Math.floor(payments * 0.8));
  return services.map((service) => ({ kind: 'kill', service, atPayment: random.int(low, high) }));
}

/**
 * Every fault of the chosen kinds, each placed at a payment drawn from the seed between 5 % and
 * 85 % of the workload, in firing order. A full run repeats the infrastructure outages once per
 * 5,000 payments, and the PSP-side windows (each for both PSPs where it applies; the short run too).
 * PSP-side faults and the kills of billing and dunning (`withBilling`) are drawn from streams of
 * their own: without them a seed's schedule is what it was.
 */
export function buildSchedule(
  seed: number,
  kinds: readonly FaultKind[],
  payments: number,
  short: boolean,
  pspFaults: readonly PspFaultKind[] = [],
  withBilling = false,
): FaultEvent[] {
  const random = randomStream(seed, 'faults');
  const rounds = Math.max(1, Math.ceil(payments / 5000));
  const unplaced = kinds.flatMap((kind) => faultsOfKind(kind, random, short, rounds));
  const low = Math.floor(payments * 0.05);
  const high = Math.max(low, Math.floor(payments * 0.85));
  const placed = unplaced.map((fault) => ({ ...fault, atPayment: random.int(low, high) }) as FaultEvent);
  const pspRandom = randomStream(seed, 'psp-faults');
  const pspSide = pspSideFaults(pspFaults, pspRandom, short, rounds).map(
    (fault) => ({ ...fault, atPayment: pspRandom.int(low, high) }) as FaultEvent,
  );
  const billing = withBilling && kinds.includes('kill') ? billingKills(seed, payments, short) : [];
  // Stable: equal payments keep the order they were drawn in.
  return [...placed, ...pspSide, ...billing].sort((a, b) => a.atPayment - b.atPayment);
}
