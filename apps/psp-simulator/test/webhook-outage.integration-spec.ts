import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import { waitFor } from '@payflow/platform/testing';
import { simulatorConfigFrom, startSimulator } from '../src/simulator-app';
import { WebhookSink } from './webhook-sink';

/** How long PayFlow's webhooks service is down in this test. */
const OUTAGE_MS = 40_000;
const PAYMENTS_PER_PSP = 5;

interface PendingWebhooks {
  pending: number;
  stripe: number;
  adyen: number;
  retrying: number;
}

interface WebhookCounters {
  failedAttempts: number;
  dropped: number;
}

/**
 * Webhooks outlive an outage of PayFlow's webhooks service: the simulator keeps every undelivered
 * webhook and retries it with capped, jittered backoff for its retry span (3 days, the default kept
 * here), instead of dropping it after a few quick tries. The retry delays are compressed (100 ms,
 * doubling, capped at 2 s) so the test ends soon after the service is back.
 */
describe('PSP simulator: webhooks outlive an outage of the webhooks service', () => {
  const sink = new WebhookSink();
  let app: INestApplication;
  let base: string;
  let sinkPort: number;

  beforeAll(async () => {
    const sinkUrl = await sink.start();
    sinkPort = Number(new URL(sinkUrl).port);
    app = await startSimulator(
      simulatorConfigFrom({
        PSP_SIMULATOR_PORT: '0',
        LOG_LEVEL: 'silent',
        SIMULATOR_WEBHOOK_URL_STRIPE: `${sinkUrl}/webhooks/stripe`,
        SIMULATOR_WEBHOOK_URL_ADYEN: `${sinkUrl}/webhooks/adyen`,
        SIMULATOR_WEBHOOK_DELAY_MS: '5',
        SIMULATOR_WEBHOOK_RETRY_BASE_MS: '100',
        SIMULATOR_WEBHOOK_RETRY_MAX_DELAY_MS: '2000',
        SIMULATOR_WEBHOOK_TIMEOUT_MS: '1000',
      }),
    );
    base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await app?.close();
    await sink.stop();
  });

  const pending = async () => (await (await fetch(`${base}/_simulator/webhooks/pending`)).json()) as PendingWebhooks;
  const counters = async () => {
    const stats = (await (await fetch(`${base}/_simulator/stats`)).json()) as Record<'stripe' | 'adyen', { webhooks: WebhookCounters }>;
    return {
      failedAttempts: stats.stripe.webhooks.failedAttempts + stats.adyen.webhooks.failedAttempts,
      dropped: stats.stripe.webhooks.dropped + stats.adyen.webhooks.dropped,
    };
  };

  async function authorizeAtStripe(n: number): Promise<void> {
    const response = await fetch(`${base}/v1/payment_intents`, {
      method: 'POST',
      headers: { Authorization: 'Bearer sk_test_sim', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        amount: String(1_000 + n),
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: 'true',
        capture_method: 'manual',
        'metadata[payflow_attempt_id]': `att_outage_stripe_${n}`,
      }).toString(),
    });
    expect(response.status).toBe(200);
  }

  async function authorizeAtAdyen(n: number): Promise<void> {
    const response = await fetch(`${base}/checkout/v72/payments`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': 'adyen-key' },
      body: JSON.stringify({
        merchantAccount: 'M',
        amount: { value: 2_000 + n, currency: 'EUR' },
        reference: `att_outage_adyen_${n}`,
        paymentMethod: { type: 'scheme', storedPaymentMethodId: 'pm_card_visa' },
        additionalData: { manualCapture: 'true' },
      }),
    });
    expect(response.status).toBe(200);
  }

  it(`delivers every notification to a webhooks service that was down for ${OUTAGE_MS / 1000} s`, async () => {
    await sink.stop(); // the webhooks service goes down: connections are refused
    const outageStartedAt = Date.now();
    for (let n = 0; n < PAYMENTS_PER_PSP; n++) {
      await authorizeAtStripe(n);
      await authorizeAtAdyen(n);
    }
    // Each payment owes at least one webhook; every one has failed at least once.
    const owed = await waitFor(
      async () => {
        const now = await pending();
        return now.pending >= 2 * PAYMENTS_PER_PSP && now.retrying === now.pending ? now : undefined;
      },
      { what: 'every webhook to have failed once' },
    );
    expect(owed.stripe).toBeGreaterThanOrEqual(PAYMENTS_PER_PSP);
    expect(owed.adyen).toBeGreaterThanOrEqual(PAYMENTS_PER_PSP);
    const before = await counters();

    // The outage itself lasts its full length (this is the fault, not a wait for something to happen).
    await new Promise((resolve) => setTimeout(resolve, outageStartedAt + OUTAGE_MS - Date.now()));

    // Well past five tries each, and nothing given up.
    expect(await pending()).toEqual(owed);
    const during = await counters();
    expect(during.dropped).toBe(before.dropped);
    expect(during.failedAttempts - before.failedAttempts).toBeGreaterThan(5 * owed.pending);

    await sink.start(sinkPort); // back up
    await waitFor(async () => (await pending()).pending === 0, { what: 'every webhook delivered', timeoutMs: 10_000 });

    const accepted = new Set(sink.received.filter((w) => w.status === 200).map((w) => w.body));
    expect(accepted.size).toBe(owed.pending);
    for (let n = 0; n < PAYMENTS_PER_PSP; n++) {
      expect([...accepted].some((body) => body.includes(`"att_outage_stripe_${n}"`))).toBe(true);
      expect([...accepted].some((body) => body.includes(`"att_outage_adyen_${n}"`))).toBe(true);
    }
    expect((await counters()).dropped).toBe(before.dropped);
  }, OUTAGE_MS + 40_000);
});
