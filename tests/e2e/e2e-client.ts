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
