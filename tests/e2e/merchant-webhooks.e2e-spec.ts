import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from '@payflow/platform/testing';
import { call, createMerchant, waitForStatus } from './e2e-client';

interface Received {
  signature: string;
  body: string;
}

/** A merchant's server: records what PayFlow delivers to it. */
async function receiver(): Promise<{ url: string; received: Received[]; server: Server }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({ signature: String(req.headers['payflow-signature']), body });
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/payflow`, received, server };
}

describe('merchant webhooks end to end', () => {
  it('delivers the signed payment_intent.succeeded of a payment, and lists it in the events', async () => {
    const merchant = await createMerchant();
    const key = merchant.api_key;
    const hook = await receiver();
    try {
      const endpoint = await call('POST', '/v1/webhook_endpoints', key, { url: hook.url, enabled_events: ['payment_intent.succeeded'] });
      expect(endpoint.status).toBe(201);
      expect(endpoint.body.secret).toMatch(/^whsec_/);

      const intent = (await call('POST', '/v1/payment_intents', key, { amount: 10_000, currency: 'USD' })).body;
      await call('POST', `/v1/payment_intents/${intent.id}/authorize`, key, { payment_method: 'pm_card_visa' });
      await waitForStatus(key, intent.id, 'authorized');
      await call('POST', `/v1/payment_intents/${intent.id}/capture`, key, {});
      await waitForStatus(key, intent.id, 'captured');

      const delivery = await waitFor(() => hook.received.find((r) => JSON.parse(r.body).data?.object?.id === intent.id), {
        what: 'the merchant webhook',
      });
      const event = JSON.parse(delivery.body);
      expect(event).toMatchObject({ object: 'event', type: 'payment_intent.succeeded', data: { object: { id: intent.id, status: 'captured' } } });
      const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(delivery.signature)!;
      expect(createHmac('sha256', endpoint.body.secret).update(`${t}.${delivery.body}`).digest('hex')).toBe(v1);
      // Only the enabled type is sent.
      expect(hook.received.every((r) => JSON.parse(r.body).type === 'payment_intent.succeeded')).toBe(true);

      const events = await call('GET', '/v1/events?limit=10', key);
      expect(events.body.data.map((e: { type: string }) => e.type)).toEqual(
        expect.arrayContaining(['payment_intent.created', 'payment_intent.authorized', 'payment_intent.succeeded']),
      );
      const deliveries = await call('GET', `/v1/webhook_endpoints/${endpoint.body.id}/deliveries`, key);
      expect(deliveries.status).toBe(200);
      expect(JSON.stringify(deliveries.body)).toContain(event.id);
    } finally {
      hook.server.close();
    }
  });
});
