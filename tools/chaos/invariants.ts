/**
 * The invariants checked after quiescence, evaluated from facts read out of the platform, the
 * simulated PSPs and Kafka (facts.ts). Pure: each returns its verdict with a detail and examples.
 */
import { feeMinor } from '@payflow/contracts';

export type Verdict = 'pass' | 'fail' | 'unavailable';

export interface InvariantResult {
  name: string;
  verdict: Verdict;
  detail: string;
  examples?: string[];
}

export interface IntentFact {
  id: string;
  merchant_id: string;
  status: string;
  amount: number;
  currency: string;
  amount_received: number;
  amount_refunded: number;
}

export interface HeldPayment {
  provider: string;
  psp_reference: string;
  intent_id: string | null;
  attempt_id: string | null;
  amount: number;
  currency: string;
  authorized: boolean;
  captured: number;
  refunded: number;
  canceled: boolean;
}

export interface CaptureEntryFact {
  intent_id: string;
  entries: number;
  /** Posted debit of psp_receivable across those entries (the captured amount). */
  amount: number;
}

export interface MerchantBalanceFact {
  merchant_id: string;
  currency: string;
  /** merchant_payable: posted credits − posted debits. */
  payable: number;
  /** platform_fees: posted credits − posted debits. */
  fees: number;
}

export interface FeeSchedule {
  feeBps: number;
  feeFixed: Record<string, number>;
}

export interface DeadLetterFact {
  topic: string;
  consumer: string;
  reason: string;
  error: string;
  poison: boolean;
}

export interface Facts {
  intents: IntentFact[];
  held: HeldPayment[];
  captureEntries: CaptureEntryFact[];
  balances: MerchantBalanceFact[];
  schedules: Record<string, FeeSchedule>;
  verify: { balanced: boolean; violations: unknown[] } | { error: string };
  deadLetters: DeadLetterFact[] | { error: string };
  poisonInjected: number;
  replay: { verdict: Verdict; detail: string };
  unexpectedExits: string[];
}

const IN_FLIGHT = ['authorizing', 'capturing', 'canceling'];
const CAPTURED = ['captured', 'partially_refunded', 'refunded'];
const MAX_EXAMPLES = 10;

function result(
  name: string,
  problems: string[],
  passDetail: string,
  failDetail = `${problems.length} problem(s)`,
): InvariantResult {
  return problems.length === 0
    ? { name, verdict: 'pass', detail: passDetail }
    : { name, verdict: 'fail', detail: failDetail, examples: problems.slice(0, MAX_EXAMPLES) };
}

function heldByIntent(held: HeldPayment[]): Map<string, HeldPayment[]> {
  const map = new Map<string, HeldPayment[]>();
  for (const payment of held) {
    if (!payment.intent_id) continue;
    map.set(payment.intent_id, [...(map.get(payment.intent_id) ?? []), payment]);
  }
  return map;
}

/** A PSP payment that still holds or took money: authorized and not released, or captured. */
function charged(payment: HeldPayment): boolean {
  return payment.authorized && (!payment.canceled || payment.captured > 0);
}

export function noIntentInFlight(facts: Facts): InvariantResult {
  const stuck = facts.intents.filter((i) => IN_FLIGHT.includes(i.status)).map((i) => `${i.id} ${i.status}`);
  return result(
    'no_intent_in_flight',
    stuck,
    `none of ${facts.intents.length} intents in authorizing/capturing/canceling`,
    `${stuck.length} intent(s) in flight`,
  );
}

export function intentsAgreeWithPsps(facts: Facts): InvariantResult {
  const byIntent = heldByIntent(facts.held);
  const problems: string[] = [];
  for (const intent of facts.intents) {
    if (IN_FLIGHT.includes(intent.status)) continue; // reported by no_intent_in_flight
    const payments = byIntent.get(intent.id) ?? [];
    const captured = payments.reduce((sum, p) => sum + p.captured, 0);
    const refunded = payments.reduce((sum, p) => sum + p.refunded, 0);
    const live = payments.filter((p) => p.authorized && !p.canceled && p.captured === 0).length;
    const say = (why: string) =>
      problems.push(
        `${intent.id} ${intent.status} (received ${intent.amount_received}, refunded ${intent.amount_refunded}): ${why}`,
      );
    if (CAPTURED.includes(intent.status)) {
      if (captured !== intent.amount_received) say(`PSPs captured ${captured}`);
      if (refunded !== intent.amount_refunded) say(`PSPs refunded ${refunded}`);
    } else if (intent.status === 'authorized') {
      if (captured !== 0) say(`PSPs captured ${captured}`);
      if (live !== 1) say(`${live} open authorization(s) at the PSPs`);
    } else {
      // created, failed, canceled: no money held or taken anywhere.
      if (captured !== 0) say(`PSPs captured ${captured}`);
      if (live !== 0) say(`${live} open authorization(s) at the PSPs`);
    }
  }
  return result(
    'intents_agree_with_psps',
    problems,
    `${facts.intents.length} intents agree with ${facts.held.length} PSP payments`,
    `${problems.length} disagreement(s)`,
  );
}

export function noDoubleCharge(facts: Facts): InvariantResult {
  const problems: string[] = [];
  for (const [intentId, payments] of heldByIntent(facts.held)) {
    const charges = payments.filter(charged);
    if (charges.length > 1)
      problems.push(`${intentId}: ${charges.map((p) => `${p.provider}:${p.psp_reference}`).join(', ')}`);
  }
  return result(
    'no_double_charge',
    problems,
    'no intent charged more than once across both PSPs',
    `${problems.length} intent(s) charged more than once`,
  );
}

export function ledgerVerifies(facts: Facts): InvariantResult {
  if ('error' in facts.verify)
    return { name: 'ledger_verifies', verdict: 'fail', detail: `verify unreachable: ${facts.verify.error}` };
  const violations = facts.verify.violations.map((v) => JSON.stringify(v));
  if (facts.verify.balanced && violations.length === 0)
    return { name: 'ledger_verifies', verdict: 'pass', detail: 'verify is clean' };
  return {
    name: 'ledger_verifies',
    verdict: 'fail',
    detail: `${violations.length} violation(s)`,
    examples: violations.slice(0, MAX_EXAMPLES),
  };
}

export function oneCaptureEntryPerCapturedIntent(facts: Facts): InvariantResult {
  const entries = new Map(facts.captureEntries.map((e) => [e.intent_id, e]));
  const problems: string[] = [];
  let captured = 0;
  for (const intent of facts.intents) {
    const entry = entries.get(intent.id);
    if (intent.amount_received > 0) {
      captured++;
      if (!entry) problems.push(`${intent.id}: captured ${intent.amount_received}, no capture entry`);
      else if (entry.entries !== 1) problems.push(`${intent.id}: ${entry.entries} capture entries`);
      else if (entry.amount !== intent.amount_received)
        problems.push(`${intent.id}: entry books ${entry.amount}, intent received ${intent.amount_received}`);
    } else if (entry) {
      problems.push(
        `${intent.id}: ${intent.status} with nothing received, yet ${entry.entries} capture entr(ies)`,
      );
    }
  }
  return result(
    'one_capture_entry_per_captured_intent',
    problems,
    `${captured} captured intents, one capture entry each with the captured amount`,
  );
}

export function merchantBalances(facts: Facts): InvariantResult {
  const expected = new Map<string, { payable: number; fees: number }>();
  const keyOf = (merchant: string, currency: string) => `${merchant} ${currency}`;
  for (const intent of facts.intents) {
    if (intent.amount_received === 0) continue;
    const schedule = facts.schedules[intent.merchant_id];
    if (!schedule) continue;
    const fee = Number(
      feeMinor(intent.amount_received, schedule.feeBps, schedule.feeFixed[intent.currency] ?? 0),
    );
    const key = keyOf(intent.merchant_id, intent.currency);
    const sum = expected.get(key) ?? { payable: 0, fees: 0 };
    sum.payable += intent.amount_received - fee - intent.amount_refunded;
    sum.fees += fee;
    expected.set(key, sum);
  }
  const actual = new Map(facts.balances.map((b) => [keyOf(b.merchant_id, b.currency), b]));
  const problems: string[] = [];
  for (const key of new Set([...expected.keys(), ...actual.keys()])) {
    const [merchant] = key.split(' ');
    if (!facts.schedules[merchant]) continue; // not one of this run's merchants
    const want = expected.get(key) ?? { payable: 0, fees: 0 };
    const have = actual.get(key) ?? { payable: 0, fees: 0 };
    if (want.payable !== have.payable || want.fees !== have.fees) {
      problems.push(
        `${key}: ledger payable ${have.payable} fees ${have.fees}, expected ${want.payable} and ${want.fees}`,
      );
    }
  }
  return result(
    'merchant_balances',
    problems,
    `${expected.size} merchant balances equal captures − fees − refunds`,
  );
}

export function noUnexpectedDeadLetters(facts: Facts): InvariantResult {
  if ('error' in facts.deadLetters)
    return {
      name: 'no_unexpected_dead_letters',
      verdict: 'fail',
      detail: `dead-letter topics unreadable: ${facts.deadLetters.error}`,
    };
  const unexpected = facts.deadLetters.filter((d) => !d.poison);
  const poison = facts.deadLetters.length - unexpected.length;
  const problems = unexpected.map((d) => `${d.topic} ${d.consumer} ${d.reason}: ${d.error.slice(0, 200)}`);
  return result(
    'no_unexpected_dead_letters',
    problems,
    `only the ${poison} dead letter(s) of the ${facts.poisonInjected} poison message(s) injected`,
    `${unexpected.length} unexpected dead letter(s) (and ${poison} of the poison)`,
  );
}

export function replayShowsNoDifference(facts: Facts): InvariantResult {
  return { name: 'replay_ledger_no_difference', ...facts.replay };
}

export function noServiceExited(facts: Facts): InvariantResult {
  return result(
    'no_service_exited',
    facts.unexpectedExits,
    'no service process exited unasked',
    `${facts.unexpectedExits.length} unexpected exit(s)`,
  );
}

export function evaluateInvariants(facts: Facts): InvariantResult[] {
  return [
    noIntentInFlight(facts),
    intentsAgreeWithPsps(facts),
    noDoubleCharge(facts),
    ledgerVerifies(facts),
    oneCaptureEntryPerCapturedIntent(facts),
    merchantBalances(facts),
    noUnexpectedDeadLetters(facts),
    replayShowsNoDifference(facts),
    noServiceExited(facts),
  ];
}
