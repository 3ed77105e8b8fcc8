/**
 * The billing workload's invariants (issue 12), evaluated after quiescence from what the public API
 * (subscriptions, invoices, dunning's payment attempts) and the databases (invoice intents, capture
 * entries, test clocks) say. Pure, like invariants.ts.
 */
import { classifyDecline } from '@payflow/declines';
import { byPeriod, type InvoiceObject, type PaymentAttempt } from './billing-objects';
import { PLANNED_DECLINES, type RenewalKind } from './billing-plan';
import type { SubscriptionResult } from './billing-workload';
import type { CaptureEntryFact, InvariantResult } from './invariants';

export interface BillingInvoiceFact extends InvoiceObject {
  /** Dunning's attempts, or why they could not be read. */
  attempts: PaymentAttempt[] | { error: string };
}

export interface BillingSubscriptionFact {
  index: number;
  kind: RenewalKind;
  subscriptionId: string | null;
  /** The subscription's status now (null: never created, or unreadable: see `error`). */
  status: string | null;
  invoices: BillingInvoiceFact[];
  error?: string;
}

/** An intent that pays an invoice (intents.payment_intents.invoice), with its authorizations. */
export interface InvoiceIntentFact {
  id: string;
  invoice: string;
  status: string;
  amount_received: number;
  /** Authorizations intents made for it (attempt 1 and every retry). */
  authorization_attempts: number;
}

export interface TestClockFact {
  id: string;
  status: string;
  frozen_time: string;
  target_time: string | null;
}

export interface BillingFacts {
  subscriptions: BillingSubscriptionFact[];
  invoiceIntents: InvoiceIntentFact[];
  captureEntries: CaptureEntryFact[];
  /** Every test clock not deleted. */
  clocks: TestClockFact[] | { error: string };
}

const MAX_EXAMPLES = 10;
/** Dunning's reason for a retry on the card the customer gave after a decline. */
const NEW_PAYMENT_METHOD = 'new_payment_method';

function result(name: string, problems: string[], passDetail: string, failDetail: string): InvariantResult {
  return problems.length === 0
    ? { name, verdict: 'pass', detail: passDetail }
    : { name, verdict: 'fail', detail: failDetail, examples: problems.slice(0, MAX_EXAMPLES) };
}

const inOrder = (attempts: readonly PaymentAttempt[]) => [...attempts].sort((a, b) => a.attempt - b.attempt);

/** PayFlow's own failures (an outcome never given, an open breaker, a PSP unavailable): retried sooner, on top of the plan. */
export function isTechnical(attempt: PaymentAttempt): boolean {
  if (!attempt.code) return false;
  return (
    classifyDecline({
      code: attempt.code,
      decline_code: attempt.decline_code,
      network: attempt.network,
      advice_code: attempt.advice_code,
    }).class === 'technical'
  );
}

/** What is wrong with one subscription's renewal, or null; and how many technical failures it had. */
export function renewalProblem(subscription: BillingSubscriptionFact): {
  problem: string | null;
  technical: number;
} {
  const name = `#${subscription.index} ${subscription.kind} ${subscription.subscriptionId ?? '(not created)'}`;
  const fail = (why: string) => ({ problem: `${name}: ${why}`, technical: 0 });
  if (subscription.error) return fail(subscription.error);
  if (!subscription.subscriptionId) return fail('never created');
  const renewal = byPeriod(subscription.invoices)[1] as BillingInvoiceFact | undefined;
  if (!renewal) return fail(`no renewal invoice (status ${subscription.status})`);
  if ('error' in renewal.attempts)
    return fail(`${renewal.id} attempts unreadable: ${renewal.attempts.error}`);
  const attempts = inOrder(renewal.attempts);
  const trail = attempts
    .map((a) => `${a.attempt}:${a.status}:${a.decline_code ?? a.code ?? '-'}:${a.decision ?? '-'}`)
    .join(' ');
  const planned = PLANNED_DECLINES[subscription.kind];
  const failures = attempts.filter((a) => a.status === 'failed');
  const declines = failures.filter(
    (a) => planned.declineCode !== null && a.decline_code === planned.declineCode,
  );
  const technical = failures.filter((a) => !declines.includes(a) && isTechnical(a));
  const unexpected = failures.filter((a) => !declines.includes(a) && !technical.includes(a));
  const why: string[] = [];
  if (subscription.status !== 'active') why.push(`subscription ${subscription.status}`);
  if (renewal.status !== 'paid') why.push(`renewal ${renewal.id} ${renewal.status}`);
  else if (renewal.amount_paid !== renewal.amount_due)
    why.push(`renewal paid ${renewal.amount_paid} of ${renewal.amount_due}`);
  const last = attempts[attempts.length - 1];
  if (!last || last.status !== 'succeeded') why.push('the last attempt did not succeed');
  if (attempts.filter((a) => a.status === 'succeeded').length > 1)
    why.push('more than one attempt succeeded');
  if (unexpected.length > 0)
    why.push(
      `unexpected failure(s) ${unexpected.map((a) => `${a.attempt}:${a.decline_code ?? a.code}`).join(', ')}`,
    );
  // With the checks above, the attempts are the planned declines + the technical failures + 1.
  // A technical failure may hide a planned decline the PSP gave (an answer PayFlow never got).
  if (declines.length > planned.count || declines.length + technical.length < planned.count)
    why.push(`${declines.length} ${planned.declineCode} decline(s), ${planned.count} planned`);
  if (subscription.kind === 'soft_recovered' && declines.some((a) => a.decision !== 'retry_scheduled'))
    why.push('a soft decline not retried on the schedule');
  // A hard decline waits for a new card; once given, its decision is the new card's retry.
  const waitedForCard = (a: PaymentAttempt) =>
    a.decision === 'wait_for_payment_method' ||
    (a.decision === 'retry_scheduled' && a.reason === NEW_PAYMENT_METHOD);
  if (subscription.kind === 'hard_then_new_card' && !declines.every(waitedForCard))
    why.push('a hard decline not waiting for a new card');
  return why.length === 0
    ? { problem: null, technical: technical.length }
    : { problem: `${name}: ${why.join('; ')} [${trail}]`, technical: technical.length };
}

/** Every subscription ends `active` with its renewal `paid` after the expected attempts (plus technical retries). */
export function renewalsRecovered(facts: BillingFacts): InvariantResult {
  const problems: string[] = [];
  const paid: Record<RenewalKind, number> = { paid_at_once: 0, soft_recovered: 0, hard_then_new_card: 0 };
  let technical = 0;
  for (const subscription of facts.subscriptions) {
    const verdict = renewalProblem(subscription);
    technical += verdict.technical;
    if (verdict.problem) problems.push(verdict.problem);
    else paid[subscription.kind]++;
  }
  const n = facts.subscriptions.length;
  return result(
    'billing_renewals_recovered',
    problems,
    n === 0
      ? 'no billing workload in this run (--subscriptions 0)'
      : `${n} subscriptions active with their renewal paid: ${paid.paid_at_once} at attempt 1, ` +
          `${paid.soft_recovered} after 2 soft declines retried on the schedule, ` +
          `${paid.hard_then_new_card} after a hard decline and a new card; ${technical} technical failure(s) retried`,
    `${problems.length} of ${n} subscriptions not recovered as planned`,
  );
}

/**
 * Dunning's attempts of each invoice are 1…n, once each, n = the invoice's `attempt_count`, all on
 * the invoice's one intent, and as many as intents' authorizations of that intent: no retry
 * duplicated, none lost.
 */
export function attemptsMatchAuthorizations(facts: BillingFacts): InvariantResult {
  const intents = new Map(facts.invoiceIntents.map((i) => [i.invoice, i]));
  const problems: string[] = [];
  let invoices = 0;
  let recorded = 0;
  for (const subscription of facts.subscriptions) {
    for (const invoice of subscription.invoices) {
      if (invoice.status === 'draft') continue;
      invoices++;
      const say = (why: string) => problems.push(`${invoice.id} (#${subscription.index}): ${why}`);
      if ('error' in invoice.attempts) {
        say(`attempts unreadable: ${invoice.attempts.error}`);
        continue;
      }
      const attempts = inOrder(invoice.attempts);
      recorded += attempts.length;
      const numbers = attempts.map((a) => a.attempt);
      if (numbers.some((n, i) => n !== i + 1)) say(`attempts numbered ${numbers.join(',')}`);
      if (attempts.length !== invoice.attempt_count)
        say(`${attempts.length} attempts recorded, attempt_count ${invoice.attempt_count}`);
      const onIntents = attempts.filter((a) => a.payment_intent !== null);
      const strangers = onIntents.filter((a) => a.payment_intent !== invoice.payment_intent);
      if (strangers.length > 0)
        say(
          `attempt(s) ${strangers.map((a) => a.attempt).join(',')} on another intent than ${invoice.payment_intent}`,
        );
      const intent = intents.get(invoice.id);
      const authorizations = intent?.authorization_attempts ?? 0;
      if (onIntents.length !== authorizations)
        say(
          `${onIntents.length} attempts with an intent, ${authorizations} authorizations of ${intent?.id ?? 'no intent'}`,
        );
    }
  }
  return result(
    'dunning_attempts_match_authorizations',
    problems,
    `${invoices} invoices: ${recorded} attempts recorded by dunning, numbered 1…n once each, equal to their intents' authorizations`,
    `${problems.length} invoice(s) whose attempts and authorizations differ`,
  );
}

/** Every paid invoice's intent received the amount paid, and its capture stands once in the ledger with it. */
export function paidInvoicesInLedger(facts: BillingFacts): InvariantResult {
  const intents = new Map(facts.invoiceIntents.map((i) => [i.id, i]));
  const entries = new Map(facts.captureEntries.map((e) => [e.intent_id, e]));
  const problems: string[] = [];
  let paid = 0;
  for (const subscription of facts.subscriptions) {
    for (const invoice of subscription.invoices) {
      if (invoice.status !== 'paid' || invoice.amount_paid === 0) continue;
      paid++;
      const say = (why: string) => problems.push(`${invoice.id} paid ${invoice.amount_paid}: ${why}`);
      const intent = invoice.payment_intent ? intents.get(invoice.payment_intent) : undefined;
      if (!intent) {
        say(`no intent (${invoice.payment_intent})`);
        continue;
      }
      if (intent.amount_received !== invoice.amount_paid)
        say(`${intent.id} ${intent.status} received ${intent.amount_received}`);
      const entry = entries.get(intent.id);
      const standing = entry ? entry.entries - entry.reversals : 0;
      if (standing !== 1) say(`${intent.id}: ${standing} capture entries standing in the ledger`);
      else if (entry!.amount !== invoice.amount_paid) say(`${intent.id}: the ledger books ${entry!.amount}`);
    }
  }
  return result(
    'paid_invoices_in_ledger',
    problems,
    `${paid} paid invoices, each captured by its intent and booked once in the ledger with the amount paid`,
    `${problems.length} paid invoice(s) not booked as paid`,
  );
}

export function noClockAdvancing(facts: BillingFacts): InvariantResult {
  const name = 'no_test_clock_advancing';
  if ('error' in facts.clocks)
    return { name, verdict: 'fail', detail: `test clocks unreadable: ${facts.clocks.error}` };
  const problems = facts.clocks
    .filter((c) => c.status !== 'ready')
    .map((c) => `${c.id} ${c.status} at ${c.frozen_time} towards ${c.target_time}`);
  return result(
    name,
    problems,
    `${facts.clocks.length} test clock(s), none advancing`,
    `${problems.length} test clock(s) left advancing`,
  );
}

/** Every subscription's lifecycle was driven to its end through the public API. */
export function billingWorkloadCompleted(results: readonly SubscriptionResult[]): InvariantResult {
  const errors = results.filter((r) => r.outcome !== 'completed');
  return result(
    'billing_workload_completed',
    errors.map((r) => `#${r.index} ${r.kind} ${r.subscriptionId ?? ''}: ${r.detail ?? ''}`),
    `${results.length} subscription lifecycles ran to their end`,
    `${errors.length} subscription lifecycle(s) could not complete`,
  );
}

export function evaluateBillingInvariants(
  facts: BillingFacts,
  results: readonly SubscriptionResult[],
): InvariantResult[] {
  return [
    billingWorkloadCompleted(results),
    renewalsRecovered(facts),
    attemptsMatchAuthorizations(facts),
    paidInvoicesInLedger(facts),
    noClockAdvancing(facts),
  ];
}
