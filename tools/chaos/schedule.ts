/**
 * The fault schedule, drawn from the seed before anything runs. A fault fires when the workload has
 * started `atPayment` payments (not at a wall-clock time), so the same seed injects each fault at
 * the same point of the same workload however fast this machine is.
 */
import type { Provider } from '@payflow/contracts';
import type { FaultKind } from './options';
import { randomStream, type Random } from './prng';

/** The services killed in turn (never the simulator: its memory is the PSPs' truth). */
export const KILLABLE_SERVICES = ['gateway', 'intents', 'orchestrator', 'ledger', 'webhooks'] as const;
export type KillableService = (typeof KILLABLE_SERVICES)[number];

export type FaultEvent =
  | { kind: 'postgres'; atPayment: number; durationMs: number }
  | { kind: 'kafka'; atPayment: number; durationMs: number }
  | { kind: 'kill'; atPayment: number; service: KillableService }
  | { kind: 'psp'; atPayment: number; durationMs: number; provider: Provider; spec: string }
  | { kind: 'webhooks'; atPayment: number; durationMs: number; provider: Provider; spec: string }
  | { kind: 'poison'; atPayment: number; count: number };

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

/**
 * Every fault of the chosen kinds, each placed at a payment drawn from the seed between 5 % and
 * 85 % of the workload, in firing order. A full run repeats the infrastructure outages once per
 * 5,000 payments.
 */
export function buildSchedule(
  seed: number,
  kinds: readonly FaultKind[],
  payments: number,
  short: boolean,
): FaultEvent[] {
  const random = randomStream(seed, 'faults');
  const rounds = Math.max(1, Math.ceil(payments / 5000));
  const unplaced = kinds.flatMap((kind) => faultsOfKind(kind, random, short, rounds));
  const low = Math.floor(payments * 0.05);
  const high = Math.max(low, Math.floor(payments * 0.85));
  return unplaced
    .map((fault) => ({ ...fault, atPayment: random.int(low, high) }) as FaultEvent)
    .sort((a, b) => a.atPayment - b.atPayment);
}
