import { call, createMerchant, routeMerchantTo, simulatorStats, waitForStatus } from './e2e-client';
import { waitFor } from '@payflow/platform/testing';

/**
 * Every service on real Kafka with the PSP simulator as Stripe and Adyen: the full lifecycle on
 * each route (Adyen's captures and refunds settle only by its signed webhook, through the webhooks
 * service), a decline, and no charge twice under one idempotency key.
 */
describe('payments on both PSP routes', () => {
  async function lifecycle(provider: 'stripe' | 'adyen') {
    const merchant = await createMerchant();
    await routeMerchantTo(merchant.id, [provider]);
    const key = merchant.api_key;
    const intent = (await call('POST', '/v1/payment_intents', key, { amount: 10_000, currency: 'EUR', payment_method: 'pm_card_mastercard' })).body;
    await call('POST', `/v1/payment_intents/${intent.id}/authorize`, key, {});
    expect(await waitForStatus(key, intent.id, 'authorized')).toMatchObject({ provider, amount_capturable: 10_000 });

    await call('POST', `/v1/payment_intents/${intent.id}/capture`, key, { amount: 8_000 });
    expect(await waitForStatus(key, intent.id, 'captured')).toMatchObject({ amount_received: 8_000, amount_capturable: 0 });

    const partial = await call('POST', `/v1/payment_intents/${intent.id}/refund`, key, { amount: 3_000 });
    expect(partial.status).toBe(200);
    await waitForStatus(key, intent.id, 'partially_refunded');
    await waitFor(async () => (await call('GET', `/v1/payment_intents/${intent.id}/refunds`, key)).body.data?.[0]?.status === 'succeeded', {
      what: 'the partial refund to succeed',
    });
    const rest = await call('POST', `/v1/payment_intents/${intent.id}/refund`, key, {});
    expect(rest.body).toMatchObject({ amount: 5_000 });
    expect(await waitForStatus(key, intent.id, 'refunded')).toMatchObject({ amount_refunded: 8_000 });

    // Default schedule, 290 bps + 30 for an exponent-2 currency: 232 + 30 = 262 on 8000, kept on refund.
    const balance = await waitFor(async () => {
      const answer = await call('GET', '/v1/balance', key);
      return answer.body.available?.[0]?.amount === 8_000 - 262 - 8_000 ? answer.body : null;
    }, { what: `the ${provider} refunds to reach the ledger` });
    expect(balance.fees).toEqual([{ currency: 'EUR', amount: 262 }]);
  }

  it('runs create → authorize → capture → partial refund → refund the rest on Stripe', () => lifecycle('stripe'));

  it('runs the same on Adyen, settling captures and refunds by its signed webhooks', () => lifecycle('adyen'));

  it('ends a declined authorization failed with the decline in last_error', async () => {
    const merchant = await createMerchant();
    const intent = (await call('POST', '/v1/payment_intents', merchant.api_key, { amount: 2_000, currency: 'USD' })).body;
    const answer = await call('POST', `/v1/payment_intents/${intent.id}/authorize`, merchant.api_key, { payment_method: 'pm_card_chargeDeclinedInsufficientFunds' });
    expect(answer.status).not.toBe(402);
    const failed = await waitForStatus(merchant.api_key, intent.id, 'failed');
    expect(failed.last_error).toMatchObject({ type: 'card_error', code: 'insufficient_funds' });
  });

  it('never charged twice under one idempotency key', async () => {
    const stats = await simulatorStats();
    expect(stats.duplicateKeys).toEqual([]);
    expect(stats.stripe.duplicateChargeReferences).toEqual([]);
    expect(stats.adyen.duplicateChargeReferences).toEqual([]);
    expect(stats.stripe.idempotency.executions + stats.adyen.idempotency.executions).toBeGreaterThan(0);
  });
});
