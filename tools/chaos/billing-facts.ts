/**
 * Reads what the billing invariants are evaluated on: each planned subscription, its invoices and
 * dunning's attempts through the gateway's public API (as the merchant), the invoice intents and the
 * test clocks from the cluster (as its admin role).
 */
import type { Pool } from 'pg';
import { ApiClient } from './api-client';
import type { InvoiceObject, PaymentAttempt } from './billing-objects';
import type {
  BillingInvoiceFact,
  BillingSubscriptionFact,
  InvoiceIntentFact,
  TestClockFact,
} from './billing-invariants';
import type { SubscriptionResult } from './billing-workload';

export async function readBillingSubscriptions(
  gatewayUrl: string,
  apiKeys: ReadonlyMap<string, string>,
  results: readonly SubscriptionResult[],
): Promise<BillingSubscriptionFact[]> {
  const client = new ApiClient({ baseUrl: gatewayUrl, giveUpAfterMs: 60_000 });
  const read = async (r: SubscriptionResult): Promise<BillingSubscriptionFact> => {
    const fact: BillingSubscriptionFact = {
      index: r.index,
      kind: r.kind,
      subscriptionId: r.subscriptionId ?? null,
      status: null,
      invoices: [],
    };
    if (!r.subscriptionId) return fact;
    const key = apiKeys.get(r.merchantId)!;
    try {
      const subscription = await client.call('GET', `/v1/subscriptions/${r.subscriptionId}`, key);
      if (subscription.status !== 200) throw new Error(`subscription: ${subscription.status}`);
      fact.status = subscription.body.status;
      const list = await client.call('GET', `/v1/invoices?subscription=${r.subscriptionId}&limit=100`, key);
      if (list.status !== 200) throw new Error(`invoices: ${list.status}`);
      for (const invoice of list.body.data as InvoiceObject[]) {
        // A draft has no attempts, and dunning learns of an invoice when it is finalized.
        if (invoice.status === 'draft') {
          fact.invoices.push({ ...invoice, attempts: [] });
          continue;
        }
        const answer = await client.call('GET', `/v1/invoices/${invoice.id}/payment_attempts`, key);
        const attempts: BillingInvoiceFact['attempts'] =
          answer.status === 200
            ? (answer.body.data as PaymentAttempt[])
            : {
                error: `${answer.status} ${JSON.stringify(answer.body?.error ?? answer.body).slice(0, 200)}`,
              };
        fact.invoices.push({ ...invoice, attempts });
      }
    } catch (error) {
      fact.error = `unreadable: ${(error as Error).message}`;
    }
    return fact;
  };
  const facts: BillingSubscriptionFact[] = [];
  // A few at a time: the gateway is shared with nothing now, but hundreds of reads at once help no one.
  for (let i = 0; i < results.length; i += 8)
    facts.push(...(await Promise.all(results.slice(i, i + 8).map(read))));
  return facts;
}

export async function readInvoiceIntents(pool: Pool): Promise<InvoiceIntentFact[]> {
  const { rows } = await pool.query(
    `SELECT id, invoice, status, amount_received::float8 AS amount_received, authorization_attempts
       FROM intents.payment_intents WHERE invoice IS NOT NULL`,
  );
  return rows as InvoiceIntentFact[];
}

export async function readTestClocks(pool: Pool): Promise<TestClockFact[] | { error: string }> {
  try {
    const { rows } = await pool.query(
      `SELECT id, status, frozen_time::text AS frozen_time, target_time::text AS target_time
         FROM billing.test_clocks WHERE deleted_at IS NULL`,
    );
    return rows as TestClockFact[];
  } catch (error) {
    return { error: (error as Error).message };
  }
}
