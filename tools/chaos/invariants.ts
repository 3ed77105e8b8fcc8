/**
 * The invariants checked after quiescence, evaluated from facts read out of the platform, the
 * simulated PSPs and Kafka (facts.ts). Pure: each returns its verdict with a detail and examples.
 */
import { feeMinor } from '@payflow/contracts';
import { intentPspMoney, stillCharges } from './psp-money';

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

/**
 * One payment as a simulated PSP holds it (`GET /_simulator/inspection/payments`). The simulator
 * declares the same shape (apps/psp-simulator/src/inspection/held-payment.ts); tools cannot import
 * an app, so it is repeated here. The final-state fields are optional: an older simulator gives
 * only the booleans (psp-money.ts reads either).
 */
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
  status?: string;
  amount_authorized?: number;
  /** Still reserved on the card. */
  amount_held?: number;
  /** Captured and not failed later. */
  amount_captured?: number;
  /** Refunds that succeeded and stayed so. */
  amount_refunded?: number;
  /** amount_captured − amount_refunded. */
  net_charge?: number;
  failed_captures?: number;
  failed_refunds?: number;
}

/** An intent's refunds, from intents' own table. */
export interface RefundFact {
  intent_id: string;
  /** Sum of the refunds that succeeded (and were not reversed). */
  succeeded: number;
  /** Refunds still pending. */
  pending: number;
}

/** An orchestrator attempt still open (pending or unknown) after quiescence. */
export interface OpenAttemptFact {
  intent_id: string;
  attempt_id: string;
  provider: string | null;
  operation: string;
  status: string;
  /** Awaiting a notification past PSP_NOTIFICATION_DEADLINE_MS (Adyen): counted in psp_operations_overdue. */
  overdue: boolean;
}

/** A `psp_suspense:{provider}` account: money a PSP holds that is owed back to a customer. */
export interface SuspenseFact {
  provider: string;
  currency: string;
  /** Posted credits − posted debits. */
  net: number;
}

export interface CaptureEntryFact {
  intent_id: string;
  /** `capture` entries. */
  entries: number;
  /** `capture_reversal` entries (a capture the PSP took back). */
  reversals: number;
  /** psp_receivable posted by those entries: debits of the captures − credits of the reversals. */
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
  refunds: RefundFact[];
  openAttempts: OpenAttemptFact[];
  /** Σ of the orchestrator's psp_operations_overdue gauge. */
  overdueGauge: { total: number } | { error: string };
  suspense: SuspenseFact[] | { error: string };
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

/**
 * An in-between state PayFlow may be left in: only while the PSP still owes its notification of an
 * operation PayFlow cannot read back (Adyen), and that operation is overdue — counted in
 * `psp_operations_overdue`, which alerts (issue 10: "an Adyen operation past its deadline stays
 * pending, is counted in a metric and raises an alert").
 */
function overdueIntents(facts: Facts): Set<string> {
  return new Set(
    facts.openAttempts.filter((a) => a.overdue && a.provider === 'adyen').map((a) => a.intent_id),
  );
}

export function noIntentInFlight(facts: Facts): InvariantResult {
  const pendingRefunds = new Map(
    facts.refunds.filter((r) => r.pending > 0).map((r) => [r.intent_id, r.pending]),
  );
  const overdue = overdueIntents(facts);
  const problems: string[] = [];
  let excused = 0;
  for (const intent of facts.intents) {
    const states = [
      ...(IN_FLIGHT.includes(intent.status) ? [intent.status] : []),
      ...(pendingRefunds.has(intent.id) ? [`${pendingRefunds.get(intent.id)} refund(s) pending`] : []),
    ];
    if (states.length === 0) continue;
    if (overdue.has(intent.id)) excused++;
    else problems.push(`${intent.id} ${states.join(', ')}`);
  }
  const overdueAttempts = facts.openAttempts.filter((a) => a.overdue && a.provider === 'adyen').length;
  if ('error' in facts.overdueGauge) {
    if (excused > 0) problems.push(`psp_operations_overdue unreadable: ${facts.overdueGauge.error}`);
  } else if (facts.overdueGauge.total < overdueAttempts) {
    problems.push(
      `${overdueAttempts} overdue Adyen operation(s), psp_operations_overdue counts ${facts.overdueGauge.total}`,
    );
  }
  const excusedText = excused
    ? `; ${excused} waiting for an overdue Adyen notification, counted in psp_operations_overdue`
    : '';
  return result(
    'no_intent_in_flight',
    problems,
    `none of ${facts.intents.length} intents in authorizing/capturing/canceling or with a pending refund${excusedText}`,
    `${problems.length} intent(s) in flight${excusedText}`,
  );
}

/**
 * "PayFlow agrees with the PSP for every intent", on the final states: what the customer paid in the
 * end across both PSPs (captured − refunded, later failures excluded) is what PayFlow says it
 * received less its succeeded refunds; an authorized intent holds exactly one authorization; a
 * failed, canceled or created one holds none and took nothing (a late success reversed nets to 0).
 */
export function intentsAgreeWithPsps(facts: Facts): InvariantResult {
  const byIntent = heldByIntent(facts.held);
  const succeededRefunds = new Map(facts.refunds.map((r) => [r.intent_id, r.succeeded]));
  const overdue = overdueIntents(facts);
  const problems: string[] = [];
  for (const intent of facts.intents) {
    if (IN_FLIGHT.includes(intent.status)) continue; // reported by no_intent_in_flight
    if (overdue.has(intent.id)) continue; // its PSP has not had its last word yet
    const money = intentPspMoney(byIntent.get(intent.id) ?? []);
    const refunded = succeededRefunds.get(intent.id) ?? (facts.refunds.length ? 0 : intent.amount_refunded);
    const paid = intent.amount_received - refunded;
    const say = (why: string) =>
      problems.push(
        `${intent.id} ${intent.status} (received ${intent.amount_received}, refunded ${refunded}): ${why}`,
      );
    if (money.net !== paid) say(`the PSPs' net charge is ${money.net}, PayFlow's ${paid}`);
    if (intent.status === 'authorized') {
      if (money.holding !== 1) say(`${money.holding} open authorization(s) at the PSPs`);
    } else if (!CAPTURED.includes(intent.status)) {
      // created, failed, canceled: no money held anywhere.
      if (money.held !== 0) say(`the PSPs still hold ${money.held} in ${money.holding} authorization(s)`);
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
    const charges = payments.filter(stillCharges);
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

/**
 * Money a PSP took for a late success PayFlow did not keep sits in `psp_suspense:{provider}` until
 * PayFlow's refund gives it back: once every reversal has completed, each nets to 0.
 */
export function lateSuccessSuspenseNetsToZero(facts: Facts): InvariantResult {
  const name = 'late_success_suspense_nets_to_zero';
  if ('error' in facts.suspense)
    return { name, verdict: 'fail', detail: `unreadable: ${facts.suspense.error}` };
  const problems = facts.suspense
    .filter((a) => a.net !== 0)
    .map((a) => `${a.provider} ${a.currency}: ${a.net}`);
  return result(
    name,
    problems,
    `${facts.suspense.length} suspense account(s), each at 0`,
    `${problems.length} suspense account(s) not at 0`,
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
    // A capture the PSP took back has its reversing entry: what stands is captures − reversals.
    const standing = entry ? entry.entries - entry.reversals : 0;
    if (intent.amount_received > 0) {
      captured++;
      if (!entry) problems.push(`${intent.id}: captured ${intent.amount_received}, no capture entry`);
      else if (standing !== 1)
        problems.push(`${intent.id}: ${entry.entries} capture entries, ${entry.reversals} reversed`);
      else if (entry.amount !== intent.amount_received)
        problems.push(
          `${intent.id}: entries book ${entry.amount}, intent received ${intent.amount_received}`,
        );
    } else if (entry && (standing !== 0 || entry.amount !== 0)) {
      problems.push(
        `${intent.id}: ${intent.status} with nothing received, yet ${entry.entries} capture entr(ies), ${entry.reversals} reversed, booking ${entry.amount}`,
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
    lateSuccessSuspenseNetsToZero(facts),
    ledgerVerifies(facts),
    oneCaptureEntryPerCapturedIntent(facts),
    merchantBalances(facts),
    noUnexpectedDeadLetters(facts),
    replayShowsNoDifference(facts),
    noServiceExited(facts),
  ];
}
