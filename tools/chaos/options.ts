/**
 * `npm run chaos -- [--seed S] [--payments N] [--subscriptions N] [--faults none|all|<kind,…>]
 * [--psp-faults none|all|<fault,…>] [--short] [--concurrency C]`.
 */
import { defaultSubscriptions } from './billing-plan';

export const FAULT_KINDS = ['postgres', 'kafka', 'kill', 'psp', 'webhooks', 'poison'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * The PSP-side faults of issue 10 (the simulator's fault keys, docs/simulator.md): PSPs as unkind as
 * the real ones. `timeout` holds answers long enough for authorizations to reach `unknown` and the
 * unknown-outcome deadline.
 */
export const PSP_FAULT_KINDS = [
  'error_5xx_saved',
  'reset_after_execution',
  'capture_failed',
  'refund_failed',
  'refund_reversed',
  'webhook_drop',
  'webhook_late',
  'timeout',
] as const;
export type PspFaultKind = (typeof PSP_FAULT_KINDS)[number];

export interface ChaosOptions {
  seed: number;
  payments: number;
  /** Subscriptions of the billing workload (renewals failing and recovering through dunning); 0: none. */
  subscriptions: number;
  faults: FaultKind[];
  /** PSP-side faults (none by default: the workload and schedule of a seed stay what they were). */
  pspFaults: PspFaultKind[];
  short: boolean;
  /** Payments in flight at once. */
  concurrency: number;
  /** How long to wait for quiescence once the workload is done. */
  quiescenceTimeoutMs: number;
}

export const SHORT_PAYMENTS = 300;
export const DEFAULT_PAYMENTS = 2000;

function integer(flag: string, value: string | undefined, min: number): number {
  const parsed = Number(value);
  if (value === undefined || !Number.isSafeInteger(parsed) || parsed < min) {
    throw new Error(`${flag} needs an integer ≥ ${min}, got ${value ?? 'nothing'}`);
  }
  return parsed;
}

export function parseFaultKinds(value: string): FaultKind[] {
  if (value === 'none') return [];
  if (value === 'all') return [...FAULT_KINDS];
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !(FAULT_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0 || kinds.length === 0) {
    throw new Error(
      `--faults takes none, all or a list of ${FAULT_KINDS.join(', ')}; unknown: ${unknown.join(', ') || value}`,
    );
  }
  return [...new Set(kinds)] as FaultKind[];
}

export function parsePspFaultKinds(value: string): PspFaultKind[] {
  if (value === 'none') return [];
  if (value === 'all') return [...PSP_FAULT_KINDS];
  const kinds = value
    .split(',')
    .map((kind) => kind.trim())
    .filter(Boolean);
  const unknown = kinds.filter((kind) => !(PSP_FAULT_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0 || kinds.length === 0) {
    throw new Error(
      `--psp-faults takes none, all or a list of ${PSP_FAULT_KINDS.join(', ')}; unknown: ${unknown.join(', ') || value}`,
    );
  }
  return PSP_FAULT_KINDS.filter((kind) => kinds.includes(kind));
}

/** Parses the command line; `randomSeed` is used when no --seed is given (and printed, to repeat). */
export function parseOptions(argv: readonly string[], randomSeed: number): ChaosOptions {
  let seed = randomSeed;
  let payments: number | undefined;
  let subscriptions: number | undefined;
  let faults: FaultKind[] = [...FAULT_KINDS];
  let pspFaults: PspFaultKind[] = [];
  let short = false;
  let concurrency = 16;
  let quiescenceTimeoutMs = 300_000;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? flag.split('=', 2) : [flag, undefined];
    const value = () => inline ?? argv[++i];
    switch (name) {
      case '--seed':
        seed = integer('--seed', value(), 0);
        break;
      case '--payments':
        payments = integer('--payments', value(), 1);
        break;
      case '--subscriptions':
        subscriptions = integer('--subscriptions', value(), 0);
        break;
      case '--faults':
        faults = parseFaultKinds(value() ?? '');
        break;
      case '--psp-faults':
        pspFaults = parsePspFaultKinds(value() ?? '');
        break;
      case '--short':
        short = true;
        break;
      case '--concurrency':
        concurrency = integer('--concurrency', value(), 1);
        break;
      case '--quiescence-timeout':
        quiescenceTimeoutMs = integer('--quiescence-timeout', value(), 1) * 1000;
        break;
      default:
        throw new Error(`unknown option ${flag} (see docs/chaos.md)`);
    }
  }
  const paymentCount = payments ?? (short ? SHORT_PAYMENTS : DEFAULT_PAYMENTS);
  return {
    seed,
    payments: paymentCount,
    subscriptions: subscriptions ?? defaultSubscriptions(paymentCount),
    faults,
    pspFaults,
    short,
    concurrency,
    quiescenceTimeoutMs,
  };
}
