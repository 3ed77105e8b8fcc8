import { waitFor } from '@payflow/platform/testing';
import { adminKey, call, createMerchant, routeMerchantTo, waitForStatus } from './e2e-client';

/**
 * The PSP's last word, every service on real Kafka (docs/orchestrator.md, "The PSP's last word"):
 * a capture or a refund the PSP reported succeeded and then failed changes the intent or the refund,
 * and the ledger books the reversing entry through the intents event — so the book still verifies and
 * the merchant's balance shows only money that moved.
 */
describe('failures the PSP reports after a success', () => {
  async function capturedPayment(provider: 'stripe' | 'adyen', paymentMethod: string) {
    const merchant = await createMerchant();
    await routeMerchantTo(merchant.id, [provider]);
    const key = merchant.api_key;
    const intent = (
      await call('POST', '/v1/payment_intents', key, {
        amount: 10_000,
        currency: 'EUR',
        payment_method: paymentMethod,
      })
    ).body;
    await call('POST', `/v1/payment_intents/${intent.id}/authorize`, key, {});
    await waitForStatus(key, intent.id, 'authorized');
    await call('POST', `/v1/payment_intents/${intent.id}/capture`, key, {});
    return { key, intentId: intent.id as string };
  }

  async function balanceOf(key: string) {
    return (await call('GET', '/v1/balance', key)).body as {
      available: { currency: string; amount: number }[];
      fees: { currency: string; amount: number }[];
    };
  }

  async function expectBookVerifies() {
    const verify = await call('GET', '/admin/ledger/verify', adminKey());
    expect(verify.body).toMatchObject({ balanced: true });
  }

  async function refundThenWaitForItToFail(key: string, intentId: string) {
    const refund = await call('POST', `/v1/payment_intents/${intentId}/refund`, key, { amount: 4_000 });
    expect(refund.status).toBe(200);
    return waitFor(
      async () => {
        const refunds = (await call('GET', `/v1/payment_intents/${intentId}/refunds`, key)).body.data as {
          id: string;
          status: string;
        }[];
        const mine = refunds.find((r) => r.id === refund.body.id);
        return mine?.status === 'failed' ? mine : null;
      },
      { what: `refund ${refund.body.id} to fail after succeeding` },
    );
  }

  // 290 bps + 30 of 10 000 EUR cents.
  const FEE = 320;

  it('fails an Adyen payment whose capture gets CAPTURE_FAILED, and reverses the capture in the book, fee included', async () => {
    const { key, intentId } = await capturedPayment('adyen', 'pm_card_captureFailsLater');
    const failed = await waitForStatus(key, intentId, 'failed');
    expect(failed).toMatchObject({
      amount_received: 0,
      last_error: { type: 'api_error', code: 'capture_reversed' },
    });
    const balance = await waitFor(
      async () => {
        const b = await balanceOf(key);
        return b.available.every((line) => line.amount === 0) && b.fees.every((line) => line.amount === 0)
          ? b
          : null;
      },
      { what: 'the reversed capture to reach the ledger' },
    );
    expect(balance.available).toEqual([{ currency: 'EUR', amount: 0 }]);
    const entries = (await call('GET', '/v1/ledger/entries?limit=10', key)).body.data as {
      postings: { account: string; direction: string; amount: number }[];
    }[];
    const reversing = entries.find((entry) =>
      entry.postings.some(
        (p) => p.account.startsWith('psp_receivable') && p.direction === 'credit' && p.amount === 10_000,
      ),
    );
    expect(reversing).toBeDefined();
    await expectBookVerifies();
  });

  it.each([
    ['adyen', 'pm_card_refundFailsLater'],
    ['adyen', 'pm_card_refundReversedLater'],
    ['stripe', 'pm_card_refundFailsLater'],
  ] as const)(
    'on %s with %s, fails a refund that succeeded and gives the amount back to the merchant',
    async (provider, card) => {
      const { key, intentId } = await capturedPayment(provider, card);
      await waitForStatus(key, intentId, 'captured');
      await refundThenWaitForItToFail(key, intentId);
      expect(await waitForStatus(key, intentId, 'captured')).toMatchObject({
        amount_received: 10_000,
        amount_refunded: 0,
      });
      await waitFor(
        async () => {
          const b = await balanceOf(key);
          return b.available[0]?.amount === 10_000 - FEE ? b : null;
        },
        { what: 'the reversed refund to reach the ledger' },
      );
      await expectBookVerifies();
    },
  );
});
