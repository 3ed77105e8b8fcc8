/**
 * Runs the planned workload through the gateway: merchants created through the admin API with
 * their fee schedules and routing rules, then every payment's lifecycle with bounded concurrency.
 * Intents left in flight (202) are polled until they settle.
 */
import { ApiClient, type ApiAnswer } from './api-client';
import type { MerchantPlan, PaymentPlan } from './workload-plan';

export interface Merchant {
  id: string;
  apiKey: string;
  plan: MerchantPlan;
}

export type Outcome =
  | 'captured'
  | 'partially_captured'
  | 'refunded_partially'
  | 'refunded_fully'
  | 'canceled'
  | 'authorized'
  | 'declined'
  /** PayFlow gave up on an authorization the PSP never answered, and released any hold (issue 10). */
  | 'outcome_unknown'
  /** The PSP took a capture back after confirming it (Adyen CAPTURE_FAILED): the intent is failed. */
  | 'capture_reversed'
  /**
   * The PSP said the capture failed before it said it succeeded (Adyen's CAPTURE_FAILED overtaking
   * its CAPTURE): the failure settles the capture and the authorization stands again, as at the PSP.
   */
  | 'capture_failed'
  | 'client_error';

export interface PaymentResult {
  index: number;
  intentId?: string;
  merchantId: string;
  outcome: Outcome;
  detail?: string;
}

export interface WorkloadContext {
  gatewayUrl: string;
  orchestratorUrl: string;
  adminKey: string;
  internalToken: string;
  runId: string;
  concurrency: number;
  /** Called before payment `index` starts; the fault runner holds it until the faults due by then have begun. */
  onPaymentStarting?: (index: number) => Promise<void> | void;
  onProgress?: (done: number, total: number) => void;
  onRetry?: (reason: string) => void;
}

const IN_FLIGHT = new Set(['authorizing', 'capturing', 'canceling']);
/** PayFlow's own code for an authorization it cancelled at the unknown-outcome deadline (issue 10). */
const PAYMENT_OUTCOME_UNKNOWN = 'payment_outcome_unknown';

/** An intent as the lifecycle reads it once it has left authorizing / capturing / canceling. */
interface Settled {
  status: string;
  amount_received: number;
  amount: number;
  last_error?: { code?: string } | null;
}
const SETTLE_TIMEOUT_MS = 600_000;

export async function createMerchants(context: WorkloadContext, plans: MerchantPlan[]): Promise<Merchant[]> {
  const client = new ApiClient({ baseUrl: context.gatewayUrl, onRetry: context.onRetry });
  const merchants: Merchant[] = [];
  for (const plan of plans) {
    const answer = await client.call(
      'POST',
      '/admin/merchants',
      context.adminKey,
      { name: plan.name, fee_bps: plan.feeBps, fee_fixed: plan.feeFixed },
      `${context.runId}-merchant-${merchants.length}`,
    );
    if (answer.status !== 201)
      throw new Error(`merchant creation: ${answer.status} ${JSON.stringify(answer.body)}`);
    const merchant = { id: answer.body.id as string, apiKey: answer.body.api_key as string, plan };
    const rule = await fetch(`${context.orchestratorUrl}/internal/v1/routing-rules`, {
      method: 'POST',
      headers: { 'x-internal-token': context.internalToken, 'content-type': 'application/json' },
      body: JSON.stringify({ merchant_id: merchant.id, priority: 1, providers: plan.providers }),
    });
    if (rule.status !== 201) throw new Error(`routing rule: ${rule.status} ${await rule.text()}`);
    merchants.push(merchant);
  }
  return merchants;
}

class LifecycleError extends Error {}

async function runPayment(
  client: ApiClient,
  context: WorkloadContext,
  merchant: Merchant,
  plan: PaymentPlan,
): Promise<PaymentResult> {
  const key = (step: string) => `${context.runId}-${plan.index}-${step}`;
  const expect = (answer: ApiAnswer, what: string, statuses: number[]) => {
    if (!statuses.includes(answer.status))
      throw new LifecycleError(
        `${what}: ${answer.status} ${JSON.stringify(answer.body?.error ?? answer.body)}`,
      );
    return answer.body;
  };
  const settle = async (id: string, intent: { status: string }) => {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    let current = intent;
    while (IN_FLIGHT.has(current.status)) {
      if (Date.now() > deadline) throw new LifecycleError(`${id} still ${current.status}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
      current = expect(await client.call('GET', `/v1/payment_intents/${id}`, merchant.apiKey), 'read', [200]);
    }
    return current as Settled;
  };

  const result: PaymentResult = { index: plan.index, merchantId: merchant.id, outcome: 'client_error' };
  try {
    const created = expect(
      await client.call(
        'POST',
        '/v1/payment_intents',
        merchant.apiKey,
        {
          amount: plan.amount,
          currency: plan.currency,
          capture_method: plan.captureMethod,
          metadata: { chaos_run: context.runId, chaos_payment: String(plan.index) },
        },
        key('create'),
      ),
      'create',
      [200, 201],
    );
    result.intentId = created.id;
    // A soft decline may be tried again (pm_card_insufficientFundsTwice is approved the third time).
    let authorized: Settled = { status: 'failed', amount_received: 0, amount: plan.amount };
    for (let tryNo = 0; tryNo < plan.authorizeTries && authorized.status === 'failed'; tryNo++) {
      authorized = await settle(
        created.id,
        expect(
          await client.call(
            'POST',
            `/v1/payment_intents/${created.id}/authorize`,
            merchant.apiKey,
            { payment_method: plan.paymentMethod },
            key(tryNo === 0 ? 'authorize' : `authorize-${tryNo}`),
          ),
          'authorize',
          [200, 202, 402],
        ),
      );
    }
    if (authorized.status === 'failed') {
      const unknown = authorized.last_error?.code === PAYMENT_OUTCOME_UNKNOWN;
      return { ...result, outcome: unknown ? 'outcome_unknown' : 'declined' };
    }
    let intent = authorized;
    if (plan.captureMethod === 'manual') {
      if (authorized.status !== 'authorized')
        throw new LifecycleError(`authorized intent is ${authorized.status}`);
      if (plan.after === 'hold') return { ...result, outcome: 'authorized' };
      if (plan.after === 'cancel') {
        const canceled = await settle(
          created.id,
          expect(
            await client.call(
              'POST',
              `/v1/payment_intents/${created.id}/cancel`,
              merchant.apiKey,
              { reason: 'requested_by_customer' },
              key('cancel'),
            ),
            'cancel',
            [200, 202],
          ),
        );
        return {
          ...result,
          outcome: canceled.status === 'canceled' ? 'canceled' : 'client_error',
          detail: canceled.status,
        };
      }
      intent = await settle(
        created.id,
        expect(
          await client.call(
            'POST',
            `/v1/payment_intents/${created.id}/capture`,
            merchant.apiKey,
            plan.captureAmount === undefined ? {} : { amount: plan.captureAmount },
            key('capture'),
          ),
          'capture',
          [200, 202],
        ),
      );
    }
    // The PSP's later word may already have taken the capture back.
    if (intent.status === 'failed') return { ...result, outcome: 'capture_reversed' };
    if (intent.status === 'authorized' && intent.last_error?.code === 'capture_failed') {
      return { ...result, outcome: 'capture_failed' };
    }
    if (intent.status !== 'captured') throw new LifecycleError(`capture left the intent ${intent.status}`);
    let refunded = 0;
    for (const [n, amount] of plan.refunds.entries()) {
      const answer = await client.call(
        'POST',
        `/v1/payment_intents/${created.id}/refund`,
        merchant.apiKey,
        { amount, reason: 'requested_by_customer' },
        key(`refund-${n}`),
      );
      // A capture the PSP took back after this lifecycle saw it captured leaves nothing to refund (409).
      if (answer.status === 409) {
        const now = expect(
          await client.call('GET', `/v1/payment_intents/${created.id}`, merchant.apiKey),
          'read',
          [200],
        );
        if (now.status === 'failed') return { ...result, outcome: 'capture_reversed' };
      }
      expect(answer, 'refund', [200, 201, 202]);
      refunded += amount;
    }
    const partial = intent.amount_received < intent.amount;
    if (refunded === 0) return { ...result, outcome: partial ? 'partially_captured' : 'captured' };
    return {
      ...result,
      outcome: refunded >= intent.amount_received ? 'refunded_fully' : 'refunded_partially',
    };
  } catch (error) {
    return { ...result, outcome: 'client_error', detail: (error as Error).message };
  }
}

/** Runs every payment, at most `concurrency` at a time, in plan order. */
export async function runWorkload(
  context: WorkloadContext,
  merchants: Merchant[],
  plans: PaymentPlan[],
): Promise<PaymentResult[]> {
  const client = new ApiClient({ baseUrl: context.gatewayUrl, onRetry: context.onRetry });
  const results: PaymentResult[] = new Array(plans.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < plans.length) {
      const plan = plans[next++];
      await context.onPaymentStarting?.(plan.index);
      results[plan.index] = await runPayment(client, context, merchants[plan.merchant], plan);
      context.onProgress?.(++done, plans.length);
    }
  };
  await Promise.all(Array.from({ length: Math.min(context.concurrency, plans.length) }, worker));
  return results;
}
