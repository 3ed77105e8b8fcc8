import { randomBytes } from 'node:crypto';
import { waitFor } from '@payflow/platform/testing';

export const gatewayUrl = () => process.env['E2E_GATEWAY_URL']!;
export const adminKey = () => process.env['E2E_ADMIN_API_KEY']!;

export interface Answer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function call(method: string, path: string, key: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(`${gatewayUrl()}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export async function createMerchant(name = `e2e ${randomBytes(3).toString('hex')}`): Promise<{ id: string; api_key: string }> {
  const answer = await call('POST', '/admin/merchants', adminKey(), { name });
  if (answer.status !== 201) throw new Error(`merchant creation failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Waits for an intent (read through the gateway) to reach a status. */
export async function waitForStatus(key: string, intentId: string, status: string) {
  return waitFor(
    async () => {
      const answer = await call('GET', `/v1/payment_intents/${intentId}`, key);
      return answer.body.status === status ? answer.body : null;
    },
    { what: `${intentId} to be ${status}` },
  );
}

export const serviceUrl = (name: string) => process.env[`E2E_${name.toUpperCase().replace(/-/g, '_')}_URL`]!;

/** Routes a merchant's payments to the given providers, in order (orchestrator's internal API). */
export async function routeMerchantTo(merchantId: string, providers: string[]): Promise<void> {
  const response = await fetch(`${serviceUrl('orchestrator')}/internal/v1/routing-rules`, {
    method: 'POST',
    headers: { 'x-internal-token': process.env['E2E_INTERNAL_API_TOKEN']!, 'content-type': 'application/json' },
    body: JSON.stringify({ merchant_id: merchantId, priority: 1, providers }),
  });
  if (response.status !== 201) throw new Error(`routing rule refused: ${response.status} ${await response.text()}`);
}

export interface SimulatorStats {
  duplicateKeys: unknown[];
  stripe: { duplicateChargeReferences: unknown[]; idempotency: { executions: number } };
  adyen: { duplicateChargeReferences: unknown[]; idempotency: { executions: number } };
}

export async function simulatorStats(): Promise<SimulatorStats> {
  return (await fetch(`${serviceUrl('psp-simulator')}/_simulator/stats`)).json() as Promise<SimulatorStats>;
}

/** Injects simulator faults for a provider (docs/psp.md, "Fault injection"); `null` removes them. */
export async function injectFaults(provider: 'stripe' | 'adyen', faults: Record<string, number> | null): Promise<void> {
  const response = await fetch(`${serviceUrl('psp-simulator')}/_simulator/faults/${provider}`, {
    method: faults ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: faults ? JSON.stringify(faults) : undefined,
  });
  if (!response.ok) throw new Error(`fault injection refused: ${response.status} ${await response.text()}`);
}
