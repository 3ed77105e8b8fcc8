/**
 * Runs the billing workload (billing-plan.ts) through the gateway's public API, alongside the
 * payments: per test clock, customers paying their first invoice with `pm_card_visa`, their cards
 * swapped for the renewal's, the clock advanced through the renewal and dunning's retries, a new card
 * for the hard-declined, and the clock moved on by a day while a retry is still scheduled. Whether
 * the renewals came out right is for the invariants (billing-invariants.ts) to say; a lifecycle
 * fails here only when the API could not be driven to its end.
 */
import { ApiClient, type ApiAnswer } from './api-client';
import {
  byPeriod,
  renewalState,
  type InvoiceObject,
  type PaymentAttempt,
  type RenewalState,
} from './billing-objects';
import {
  ADVANCE_TO_S,
  CLOCK_START_S,
  DAY_S,
  GOOD_CARD,
  MAX_EXTRA_ADVANCES,
  RENEWAL_CARD,
  type ClockPlan,
  type RenewalKind,
  type SubscriptionPlan,
} from './billing-plan';
import type { Merchant } from './workload';

export interface BillingContext {
  gatewayUrl: string;
  runId: string;
  onRetry?: (reason: string) => void;
  /** Called as each subscription's lifecycle ends. */
  onProgress?: (done: number) => void;
  log?: (line: string) => void;
}

export interface SubscriptionResult {
  index: number;
  kind: RenewalKind;
  merchantId: string;
  clockId?: string;
  customerId?: string;
  subscriptionId?: string;
  /** `completed`: the lifecycle ran to its end through the API (whatever the renewal's fate). */
  outcome: 'completed' | 'client_error';
  /** Where the renewal stood when the workload left it. */
  renewal?: RenewalState;
  detail?: string;
}

export interface BillingWorkloadResult {
  subscriptions: SubscriptionResult[];
  /** Every clock created, for the invariants (and how often each was moved on after its advance). */
  clocks: { id: string; merchantId: string; extraAdvances: number }[];
}

/** How long one wait (a first invoice paid, a clock ready, renewals settled) may take. */
const WAIT_TIMEOUT_MS = 900_000;
const POLL_MS = 1_000;

/**
 * Lets the billing workload start each clock at a point of the payment workload (so a seed puts it
 * among the same faults), and releases everything once the payments are done.
 */
export class PaymentMilestones {
  private started = -1;
  private done = false;
  private waiters: { index: number; wake: () => void }[] = [];

  reached(index: number): void {
    this.started = Math.max(this.started, index);
    this.wake();
  }

  finish(): void {
    this.done = true;
    this.wake();
  }

  until(index: number): Promise<void> {
    if (this.done || this.started >= index) return Promise.resolve();
    return new Promise((wake) => this.waiters.push({ index, wake }));
  }

  private wake(): void {
    const ready = this.waiters.filter((w) => this.done || this.started >= w.index);
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.wake();
  }
}

class LifecycleError extends Error {}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One merchant's view of the API: calls with its key, and the idempotency keys of this run. */
class MerchantApi {
  constructor(
    private readonly client: ApiClient,
    private readonly apiKey: string,
    private readonly keyPrefix: string,
  ) {}

  async call(method: string, path: string, body?: unknown, step?: string): Promise<ApiAnswer> {
    return this.client.call(method, path, this.apiKey, body, step ? `${this.keyPrefix}-${step}` : undefined);
  }

  /** The answer's body when its status is one of `statuses` (the API's objects, read field by field). */
  async expect(
    method: string,
    path: string,
    statuses: number[],
    body?: unknown,
    step?: string,
  ): Promise<ApiAnswer['body']> {
    const answer = await this.call(method, path, body, step);
    if (!statuses.includes(answer.status))
      throw new LifecycleError(
        `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body?.error ?? answer.body)}`,
      );
    return answer.body;
  }
}

async function until<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new LifecycleError(`${what}: not within ${WAIT_TIMEOUT_MS / 1000} s`);
    await sleep(POLL_MS);
  }
}

/** A subscription's first renewal and dunning's attempts for it. */
async function readRenewal(
  api: MerchantApi,
  subscriptionId: string,
): Promise<{ invoices: InvoiceObject[]; renewal?: InvoiceObject; attempts: PaymentAttempt[] }> {
  const list = await api.expect('GET', `/v1/invoices?subscription=${subscriptionId}&limit=100`, [200]);
  const invoices = byPeriod(list.data as InvoiceObject[]);
  const renewal = invoices[1];
  if (!renewal || renewal.status === 'draft') return { invoices, renewal, attempts: [] };
  const attempts = await api.expect('GET', `/v1/invoices/${renewal.id}/payment_attempts`, [200]);
  return { invoices, renewal, attempts: attempts.data as PaymentAttempt[] };
}

async function advanceClock(api: MerchantApi, clockId: string, to: number, step: string): Promise<void> {
  await until(`${clockId} accepting an advance to ${iso(to)}`, async () => {
    const answer = await api.call('POST', `/v1/test_clocks/${clockId}/advance`, { frozen_time: to }, step);
    if (answer.status === 200) return true;
    // Still advancing from an earlier move (its answer lost to a fault): wait for it.
    if (answer.status === 409 && answer.body?.error?.code === 'test_clock_advancing') return undefined;
    throw new LifecycleError(
      `advance ${clockId} to ${iso(to)}: ${answer.status} ${JSON.stringify(answer.body)}`,
    );
  });
  await until(`${clockId} ready at ${iso(to)}`, async () => {
    const clock = await api.expect('GET', `/v1/test_clocks/${clockId}`, [200]);
    return clock.status === 'ready' && Date.parse(clock.frozen_time) >= to * 1000 ? true : undefined;
  });
}

/**
 * Creates the subscription and waits until its first invoice is paid. A first invoice is never
 * dunned: when its payment fails for a technical reason (an outcome the PSP never gave), the merchant
 * asks for it again (`POST /v1/invoices/{id}/pay`), as a Stripe merchant confirms an incomplete one.
 */
async function startSubscription(
  api: MerchantApi,
  plan: SubscriptionPlan,
  clockId: string,
  runId: string,
  result: SubscriptionResult,
): Promise<void> {
  const step = (name: string) => `sub-${plan.index}-${name}`;
  const price = await api.expect(
    'POST',
    '/v1/prices',
    [200, 201],
    {
      currency: plan.currency,
      unit_amount: plan.unitAmount,
      recurring: { interval: 'month' },
      nickname: `chaos ${plan.index}`,
    },
    step('price'),
  );
  const customer = await api.expect(
    'POST',
    '/v1/customers',
    [200, 201],
    {
      payment_method: GOOD_CARD,
      test_clock: clockId,
      metadata: { chaos_run: runId, chaos_subscription: String(plan.index) },
    },
    step('customer'),
  );
  result.customerId = customer.id;
  const created = await api.expect(
    'POST',
    '/v1/subscriptions',
    [200, 201],
    { customer: customer.id, items: [{ price: price.id, quantity: plan.quantity }] },
    step('subscription'),
  );
  result.subscriptionId = created.id;
  await until(`${created.id} active (first invoice paid)`, async () => {
    const subscription = await api.expect('GET', `/v1/subscriptions/${created.id}`, [200]);
    if (subscription.status === 'active') return true;
    if (subscription.status !== 'incomplete')
      throw new LifecycleError(`${created.id} is ${subscription.status} before its first invoice was paid`);
    const invoiceId = subscription.latest_invoice as string | null;
    if (!invoiceId) return undefined;
    const invoice = await api.expect('GET', `/v1/invoices/${invoiceId}`, [200]);
    if (invoice.status !== 'open') return undefined;
    // 409 while the attempt in flight has no answer yet (or the invoice was paid meanwhile).
    const paid = await api.call(
      'POST',
      `/v1/invoices/${invoiceId}/pay`,
      {},
      step(`pay-${invoice.attempt_count}`),
    );
    if (paid.status !== 200 && paid.status !== 409)
      throw new LifecycleError(`pay ${invoiceId}: ${paid.status} ${JSON.stringify(paid.body)}`);
    return undefined;
  });
  const card = RENEWAL_CARD[plan.kind];
  if (card !== GOOD_CARD)
    await api.expect(
      'POST',
      `/v1/customers/${customer.id}`,
      [200],
      { payment_method: card },
      step('renewal-card'),
    );
}

async function runClock(
  client: ApiClient,
  context: BillingContext,
  merchant: Merchant,
  plan: ClockPlan,
  results: SubscriptionResult[],
  clocks: BillingWorkloadResult['clocks'],
): Promise<void> {
  const api = new MerchantApi(client, merchant.apiKey, `${context.runId}-billing`);
  const failed = new Set<number>();
  const fail = (plans: readonly SubscriptionPlan[], error: unknown) => {
    for (const s of plans) {
      if (failed.has(s.index)) continue;
      failed.add(s.index);
      results[s.index].detail = (error as Error).message;
    }
  };
  try {
    const clock = await api.expect(
      'POST',
      '/v1/test_clocks',
      [200, 201],
      { frozen_time: CLOCK_START_S, name: `chaos ${context.runId} clock ${plan.index}` },
      `clock-${plan.index}`,
    );
    const record = { id: clock.id as string, merchantId: merchant.id, extraAdvances: 0 };
    clocks.push(record);
    for (const s of plan.subscriptions) results[s.index].clockId = clock.id;
    const started = await Promise.allSettled(
      plan.subscriptions.map((s) => startSubscription(api, s, clock.id, context.runId, results[s.index])),
    );
    started.forEach((outcome, i) => {
      if (outcome.status === 'rejected') fail([plan.subscriptions[i]], outcome.reason);
    });
    const live = plan.subscriptions.filter((s) => !failed.has(s.index));
    await advanceClock(api, clock.id, ADVANCE_TO_S, `clock-${plan.index}-advance`);

    // Settle every renewal; give the hard-declined their new card; move on while a retry is due.
    let frozen = ADVANCE_TO_S;
    /** Attempts of the renewal when the customer gave a new card: the card's own attempt comes after. */
    const attemptsAtNewCard = new Map<number, number>();
    for (;;) {
      const states = await until(`renewals of clock ${clock.id} settled`, async () => {
        const read = await Promise.all(
          live.map(async (s) => {
            const { renewal, attempts } = await readRenewal(api, results[s.index].subscriptionId!);
            const state = renewalState(renewal, attempts);
            const before = attemptsAtNewCard.get(s.index);
            // The new card's attempt is requested asynchronously (Kafka): until it shows, still in flight.
            // (The hard decline's decision becomes the new card's retry meanwhile: `new_payment_method`.)
            if (before !== undefined && state !== 'paid' && attempts.length <= before)
              return { state: 'in_flight' as RenewalState, attempts: attempts.length };
            return { state, attempts: attempts.length };
          }),
        );
        return read.some((r) => r.state === 'missing' || r.state === 'in_flight') ? undefined : read;
      });
      live.forEach((s, i) => (results[s.index].renewal = states[i].state));
      const needCard = live.filter(
        (s, i) =>
          s.kind === 'hard_then_new_card' &&
          states[i].state === 'wait_for_payment_method' &&
          !attemptsAtNewCard.has(s.index),
      );
      for (const s of needCard) {
        attemptsAtNewCard.set(s.index, states[live.indexOf(s)].attempts);
        await api.expect(
          'POST',
          `/v1/customers/${results[s.index].customerId}`,
          [200],
          { payment_method: GOOD_CARD },
          `sub-${s.index}-new-card`,
        );
      }
      if (needCard.length > 0) continue;
      if (!states.some((r) => r.state === 'retry_scheduled') || record.extraAdvances >= MAX_EXTRA_ADVANCES)
        break;
      record.extraAdvances++;
      frozen += DAY_S;
      await advanceClock(api, clock.id, frozen, `clock-${plan.index}-advance-${record.extraAdvances}`);
    }
    for (const s of live) {
      results[s.index].outcome = 'completed';
      delete results[s.index].detail;
    }
  } catch (error) {
    fail(plan.subscriptions, error);
  }
}

/** Runs every clock of the plan, each once the payment workload has reached its start. */
export async function runBillingWorkload(
  context: BillingContext,
  merchants: Merchant[],
  plan: ClockPlan[],
  milestones: PaymentMilestones,
): Promise<BillingWorkloadResult> {
  const client = new ApiClient({ baseUrl: context.gatewayUrl, onRetry: context.onRetry });
  const results: SubscriptionResult[] = [];
  for (const clock of plan)
    for (const s of clock.subscriptions)
      results[s.index] = {
        index: s.index,
        kind: s.kind,
        merchantId: merchants[s.merchant].id,
        outcome: 'client_error',
        detail: 'not started',
      };
  const clocks: BillingWorkloadResult['clocks'] = [];
  let done = 0;
  await Promise.all(
    plan.map(async (clock) => {
      await milestones.until(clock.startAtPayment);
      await runClock(client, context, merchants[clock.merchant], clock, results, clocks);
      done += clock.subscriptions.length;
      context.onProgress?.(done);
    }),
  );
  return { subscriptions: results, clocks };
}
