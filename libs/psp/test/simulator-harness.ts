import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { INestApplication } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import { AdyenConnector, StripeConnector } from '../src';
// Connector tests run the real simulator app in-process (no build, no child process); only this
// test harness reaches into the app, and nothing in src/ ever imports it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { simulatorConfigFrom, startSimulator } from '../../../apps/psp-simulator/src/simulator-app';
import { WebhookReceiver } from './webhook-receiver';

export const STRIPE_WEBHOOK_SECRET = 'whsec_connector_tests_0123456789';
export const ADYEN_HMAC_KEY = 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90';
export const MERCHANT_ACCOUNT = 'PayFlowTestECOM';

/** Connector timeout in these tests; injected timeouts and slow cards answer well after it. */
export const CONNECTOR_TIMEOUT_MS = 400;

export interface SimulatorHarness {
  baseUrl: string;
  receiver: WebhookReceiver;
  stripe: StripeConnector;
  adyen: AdyenConnector;
  setFaults(provider: Provider, faults: Record<string, number>): Promise<void>;
  resetFaults(provider: Provider): Promise<void>;
  chargesForKey(provider: Provider, key: string): Promise<{ charges: number; replays: number }>;
  chargesForReference(provider: Provider, reference: string): Promise<number>;
  /** What the simulated PSP holds for one payment, in its final state (`/_simulator/inspection/payments`). */
  heldPayment(provider: Provider, pspReference: string): Promise<HeldPaymentView | undefined>;
  close(): Promise<void>;
}

/** The part of the simulator's inspection these tests read. */
export interface HeldPaymentView {
  provider: Provider;
  psp_reference: string;
  intent_id: string | null;
  attempt_id: string | null;
  status: string;
  amount_held: number;
  amount_captured: number;
  amount_refunded: number;
  net_charge: number;
  failed_captures: number;
  failed_refunds: number;
}

/** How long after a success the simulator makes a capture or refund fail (test cards, faults). */
export const LATE_FAILURE_DELAY_MS = 50;

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`simulator answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Starts a webhook receiver, the simulator (port 0) pointed at it, and both connectors pointed at the simulator. */
export async function startHarness(): Promise<SimulatorHarness> {
  const receiver = new WebhookReceiver();
  const receiverUrl = await receiver.start();
  const app: INestApplication = await startSimulator(
    simulatorConfigFrom({
      PSP_SIMULATOR_PORT: '0',
      LOG_LEVEL: 'silent',
      STRIPE_WEBHOOK_SECRET,
      ADYEN_HMAC_KEY,
      SIMULATOR_WEBHOOK_URL_STRIPE: `${receiverUrl}/webhooks/stripe`,
      SIMULATOR_WEBHOOK_URL_ADYEN: `${receiverUrl}/webhooks/adyen`,
      SIMULATOR_WEBHOOK_DELAY_MS: '10',
      SIMULATOR_SLOW_RESPONSE_MS: String(CONNECTOR_TIMEOUT_MS * 4),
      SIMULATOR_TIMEOUT_HOLD_MS: String(CONNECTOR_TIMEOUT_MS * 10),
      SIMULATOR_SEED: '7',
      SIMULATOR_LATE_FAILURE_DELAY_MS: String(LATE_FAILURE_DELAY_MS),
    }),
  );
  const baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  const stripe = new StripeConnector({
    apiKey: 'sk_test_connector',
    apiBaseUrl: baseUrl,
    timeoutMs: CONNECTOR_TIMEOUT_MS,
    webhookSecret: STRIPE_WEBHOOK_SECRET,
  });
  const adyen = new AdyenConnector({
    apiKey: 'adyen_test_connector_key',
    merchantAccount: MERCHANT_ACCOUNT,
    checkoutBaseUrl: `${baseUrl}/checkout`,
    timeoutMs: CONNECTOR_TIMEOUT_MS,
    hmacKey: ADYEN_HMAC_KEY,
  });

  // The first request of each PSP pays for cold paths (SDK serializers, the simulator's first route
  // and validation): warm both with calls that change nothing, so the first test's 400 ms timeout
  // measures the simulator, not start-up.
  await Promise.allSettled([
    stripe.retrieve({ pspReference: 'pi_warmup' }),
    adyen.capture({
      intentId: 'pi_warmup',
      attemptId: 'att_warmup',
      idempotencyKey: 'warmup',
      pspReference: 'WARMUP0000000000',
      amount: 1,
      currency: 'EUR',
    }),
  ]);

  return {
    baseUrl,
    receiver,
    stripe,
    adyen,
    async setFaults(provider, faults) {
      await json(
        await fetch(`${baseUrl}/_simulator/faults/${provider}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(faults),
        }),
      );
    },
    async resetFaults(provider) {
      await json(await fetch(`${baseUrl}/_simulator/faults/${provider}`, { method: 'DELETE' }));
    },
    async chargesForKey(provider, key) {
      return json(
        await fetch(`${baseUrl}/_simulator/charges?provider=${provider}&key=${encodeURIComponent(key)}`),
      );
    },
    async chargesForReference(provider, reference) {
      const body = await json<{ charges: number }>(
        await fetch(
          `${baseUrl}/_simulator/charges?provider=${provider}&reference=${encodeURIComponent(reference)}`,
        ),
      );
      return body.charges;
    },
    async heldPayment(provider, pspReference) {
      const body = await json<{ payments: HeldPaymentView[] }>(
        await fetch(`${baseUrl}/_simulator/inspection/payments`),
      );
      return body.payments.find((p) => p.provider === provider && p.psp_reference === pspReference);
    },
    async close() {
      await Promise.all([stripe.close(), adyen.close()]);
      await app.close();
      await receiver.stop();
    },
  };
}

/** A port with nothing listening on it: connecting is refused. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let sequence = 0;

/** PayFlow-shaped ids for one test payment: intent, attempt and its idempotency key. */
export function payflowIds(label: string): { intentId: string; attemptId: string; idempotencyKey: string } {
  sequence += 1;
  const unique = `${Date.now().toString(36)}${sequence}${label}`;
  return { intentId: `pi_${unique}`, attemptId: `att_${unique}`, idempotencyKey: `key_${unique}` };
}
