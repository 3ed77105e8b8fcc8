import {
  call,
  createMerchant,
  injectFaults,
  routeMerchantTo,
  simulatorStats,
  waitForStatus,
} from './e2e-client';

/**
 * PSP failures through the gateway, every service on real Kafka: a primary that surely did nothing
 * is failed over for authorization; one that may have acted is retried with the same key and never
 * failed over, and nothing is charged twice; duplicated and reordered webhooks change nothing.
 */
describe('PSP failures end to end', () => {
  afterEach(async () => {
    await injectFaults('stripe', null);
    await injectFaults('adyen', null);
  });

  async function authorize(providers: string[]) {
    const merchant = await createMerchant();
    await routeMerchantTo(merchant.id, providers);
    const intent = (
      await call('POST', '/v1/payment_intents', merchant.api_key, { amount: 4_200, currency: 'EUR' })
    ).body;
    await call('POST', `/v1/payment_intents/${intent.id}/authorize`, merchant.api_key, {
      payment_method: 'pm_card_visa',
    });
    return { key: merchant.api_key, intent };
  }

  it('fails an authorization over to Adyen when Stripe answers 429 (surely not executed)', async () => {
    await injectFaults('stripe', { rate_limit: 1, limit: 1 });
    const { key, intent } = await authorize(['stripe', 'adyen']);
    expect(await waitForStatus(key, intent.id, 'authorized')).toMatchObject({ provider: 'adyen' });
  });

  it('does not fail over after an executed 5xx: the same-key retry returns the first outcome', async () => {
    // Adyen first: Stripe's first request is the unconfirmed creation, which moves no money, so its
    // failure may fail over; Adyen's authorization is the charge itself.
    await injectFaults('adyen', { error_5xx_executed: 1, limit: 1 });
    const { key, intent } = await authorize(['adyen', 'stripe']);
    expect(await waitForStatus(key, intent.id, 'authorized')).toMatchObject({ provider: 'adyen' });
    const stats = await simulatorStats();
    expect(stats.duplicateKeys).toEqual([]);
    expect(stats.adyen.duplicateChargeReferences).toEqual([]);
  });

  it('reaches the same final state with duplicated and reordered Adyen webhooks', async () => {
    await injectFaults('adyen', { webhook_duplicate: 1, webhook_reorder: 0.5 });
    const { key, intent } = await authorize(['adyen']);
    await waitForStatus(key, intent.id, 'authorized');
    await call('POST', `/v1/payment_intents/${intent.id}/capture`, key, {});
    await waitForStatus(key, intent.id, 'captured');
    await call('POST', `/v1/payment_intents/${intent.id}/refund`, key, { amount: 1_000 });
    expect(await waitForStatus(key, intent.id, 'partially_refunded')).toMatchObject({
      amount_received: 4_200,
      amount_refunded: 1_000,
    });
    const verify = await call('GET', '/admin/ledger/verify', process.env['E2E_ADMIN_API_KEY']!);
    expect(verify.body).toMatchObject({ balanced: true });
  });
});
