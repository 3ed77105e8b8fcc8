import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PspError } from '../core/psp-error';
import { StripeConnector } from './stripe.connector';

/** A stand-in for Stripe's API: each test says how it answers; every request is recorded. */
interface Seen {
  method: string;
  path: string;
  body: string;
  idempotencyKey?: string;
}
type Handler = (request: Seen, response: ServerResponse) => void;

let server: Server;
let handler: Handler;
let seen: Seen[];
let connector: StripeConnector;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function paymentIntent(status: string, extra: Record<string, unknown> = {}) {
  return {
    id: 'pi_3Prepared',
    object: 'payment_intent',
    amount: 1_000,
    amount_capturable: status === 'requires_capture' ? 1_000 : 0,
    amount_received: status === 'succeeded' ? 1_000 : 0,
    currency: 'usd',
    status,
    metadata: { payflow_intent_id: 'pi_payflow1', payflow_attempt_id: 'att_1' },
    last_payment_error: null,
    ...extra,
  };
}

const request = {
  intentId: 'pi_payflow1',
  attemptId: 'att_1',
  idempotencyKey: 'att_1:authorize',
  amount: 1_000,
  currency: 'USD',
  paymentMethod: 'pm_card_visa',
  captureMethod: 'manual' as const,
};

beforeAll(async () => {
  server = createServer((incoming: IncomingMessage, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      const entry: Seen = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        body,
        idempotencyKey: incoming.headers['idempotency-key'] as string | undefined,
      };
      seen.push(entry);
      handler(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  connector = new StripeConnector({
    apiKey: 'sk_test_unit',
    apiBaseUrl: `http://127.0.0.1:${port}`,
    timeoutMs: 300,
  });
});

afterAll(async () => {
  await connector.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
});

describe('StripeConnector two-step authorization', () => {
  it('prepares with confirm=false under the attempt key plus _create', async () => {
    handler = (_request, response) => json(response, 200, paymentIntent('requires_confirmation'));
    await expect(connector.prepareAuthorization(request)).resolves.toEqual({
      provider: 'stripe',
      pspReference: 'pi_3Prepared',
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/payment_intents',
      idempotencyKey: 'att_1:authorize_create',
    });
    const params = new URLSearchParams(seen[0]?.body);
    expect(params.get('confirm')).toBe('false');
    expect(params.get('capture_method')).toBe('manual');
    expect(params.get('metadata[payflow_attempt_id]')).toBe('att_1');
  });

  it.each([
    [
      'a 500',
      (_r: Seen, response: ServerResponse) =>
        json(response, 500, { error: { type: 'api_error', message: 'boom' } }),
    ],
    ['a reset', (_r: Seen, response: ServerResponse) => response.socket?.destroy()],
    ['a timeout', () => undefined],
  ])('reports %s of the create as not_executed: creating moves no money', async (_name, answer) => {
    handler = answer;
    const failure = await connector.prepareAuthorization(request).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(PspError);
    expect(failure).toMatchObject({ provider: 'stripe', errorClass: 'not_executed' });
  });

  it('confirms the prepared payment intent with the attempt key', async () => {
    handler = (_request, response) => json(response, 200, paymentIntent('requires_capture'));
    await expect(connector.authorize({ ...request, pspReference: 'pi_3Prepared' })).resolves.toMatchObject({
      outcome: 'succeeded',
      pspReference: 'pi_3Prepared',
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      path: '/v1/payment_intents/pi_3Prepared/confirm',
      idempotencyKey: 'att_1:authorize',
    });
  });

  it('confirms an off-session payment with off_session=true (and nothing on the create)', async () => {
    handler = (_request, response) => json(response, 200, paymentIntent('requires_confirmation'));
    const offSession = { ...request, captureMethod: 'automatic' as const, offSession: true };
    await connector.prepareAuthorization(offSession);
    handler = (_request, response) => json(response, 200, paymentIntent('requires_capture'));
    await connector.authorize({ ...offSession, pspReference: 'pi_3Prepared' });
    expect(new URLSearchParams(seen[0]?.body).get('off_session')).toBeNull();
    expect(seen[1]?.path).toBe('/v1/payment_intents/pi_3Prepared/confirm');
    expect(new URLSearchParams(seen[1]?.body).get('off_session')).toBe('true');
  });

  it('reads a confirm answered processing as pending', async () => {
    handler = (_request, response) => json(response, 200, paymentIntent('processing'));
    await expect(connector.authorize({ ...request, pspReference: 'pi_3Prepared' })).resolves.toMatchObject({
      outcome: 'pending',
    });
  });

  it('reads a 402 on confirm as a decline with network and advice codes', async () => {
    handler = (_request, response) =>
      json(response, 402, {
        error: {
          type: 'card_error',
          code: 'card_declined',
          decline_code: 'do_not_honor',
          message: 'Your card was declined.',
          network_advice_code: '03',
          network_decline_code: '05',
          payment_method: { id: 'pm_1', card: { brand: 'mastercard' } },
          payment_intent: paymentIntent('requires_payment_method'),
        },
      });
    await expect(connector.authorize({ ...request, pspReference: 'pi_3Prepared' })).resolves.toMatchObject({
      outcome: 'declined',
      code: 'card_declined',
      declineCode: 'do_not_honor',
      network: 'mastercard',
      adviceCode: '03',
      networkDeclineCode: '05',
      pspReference: 'pi_3Prepared',
    });
  });

  it('keeps a 409 idempotency_key_in_use on confirm indeterminate', async () => {
    handler = (_request, response) =>
      json(response, 409, {
        error: { type: 'idempotency_error', code: 'idempotency_key_in_use', message: 'in use' },
      });
    await expect(connector.authorize({ ...request, pspReference: 'pi_3Prepared' })).rejects.toMatchObject({
      errorClass: 'indeterminate',
      retryable: true,
    });
  });

  it('still creates and confirms in one call without a prepared id', async () => {
    handler = (_request, response) => json(response, 200, paymentIntent('requires_capture'));
    await connector.authorize(request);
    expect(seen[0]).toMatchObject({ path: '/v1/payment_intents', idempotencyKey: 'att_1:authorize' });
    expect(new URLSearchParams(seen[0]?.body).get('confirm')).toBe('true');
  });
});

describe('StripeConnector cancel', () => {
  const cancel = { ...request, pspReference: 'pi_3Prepared', idempotencyKey: 'att_c:cancel' };
  const unexpectedState = (embedded?: unknown) =>
    ({
      error: {
        type: 'invalid_request_error',
        code: 'payment_intent_unexpected_state',
        message: 'You cannot cancel this PaymentIntent because it has a status of succeeded.',
        ...(embedded ? { payment_intent: embedded } : {}),
      },
    }) as const;

  it('refuses to void a captured payment intent with already_captured', async () => {
    handler = (_request, response) => json(response, 400, unexpectedState(paymentIntent('succeeded')));
    await expect(connector.cancel(cancel)).rejects.toMatchObject({
      errorClass: 'declined',
      retryable: false,
      code: 'already_captured',
    });
  });

  it('retrieves the payment intent when the refusal does not carry it', async () => {
    handler = (incoming, response) =>
      incoming.method === 'GET'
        ? json(response, 200, paymentIntent('succeeded'))
        : json(response, 400, unexpectedState());
    await expect(connector.cancel(cancel)).rejects.toMatchObject({ code: 'already_captured' });
    expect(seen.map((entry) => `${entry.method} ${entry.path}`)).toEqual([
      'POST /v1/payment_intents/pi_3Prepared/cancel',
      'GET /v1/payment_intents/pi_3Prepared',
    ]);
  });

  it('treats an already canceled payment intent as voided', async () => {
    handler = (incoming, response) =>
      incoming.method === 'GET'
        ? json(response, 200, paymentIntent('canceled'))
        : json(response, 400, unexpectedState());
    await expect(connector.cancel(cancel)).resolves.toMatchObject({
      outcome: 'succeeded',
      pspReference: 'pi_3Prepared',
    });
  });

  it('keeps other refusals as they are', async () => {
    handler = (_request, response) => json(response, 400, unexpectedState(paymentIntent('processing')));
    await expect(connector.cancel(cancel)).rejects.toMatchObject({
      errorClass: 'declined',
      code: 'payment_intent_unexpected_state',
    });
  });
});

describe('StripeConnector reads', () => {
  it('retrieves a refund', async () => {
    handler = (_request, response) =>
      json(response, 200, {
        id: 're_3R',
        object: 'refund',
        amount: 400,
        currency: 'usd',
        status: 'failed',
        failure_reason: 'expired_or_canceled_card',
        payment_intent: 'pi_3Prepared',
      });
    await expect(connector.retrieveRefund({ pspReference: 're_3R' })).resolves.toEqual({
      provider: 'stripe',
      pspReference: 're_3R',
      status: 'failed',
      amount: 400,
      currency: 'USD',
      failureReason: 'expired_or_canceled_card',
    });
    expect(seen[0]).toMatchObject({ method: 'GET', path: '/v1/refunds/re_3R' });
  });

  it('finds a refund whose id was never learnt by its attempt, in the payment’s refunds', async () => {
    const refund = (id: string, attempt: string) => ({
      id,
      object: 'refund',
      amount: 400,
      currency: 'usd',
      status: 'succeeded',
      payment_intent: 'pi_3Prepared',
      metadata: { payflow_attempt_id: attempt },
    });
    handler = (_request, response) =>
      json(response, 200, {
        object: 'list',
        data: [refund('re_2', 'att_other'), refund('re_1', 'att_r')],
        has_more: false,
      });
    await expect(
      connector.findRefund({ paymentPspReference: 'pi_3Prepared', attemptId: 'att_r' }),
    ).resolves.toMatchObject({ pspReference: 're_1', status: 'succeeded', attemptId: 'att_r' });
    expect(seen[0]).toMatchObject({ method: 'GET' });
    expect(seen[0]?.path).toMatch(/^\/v1\/refunds\?/);
    expect(new URLSearchParams(seen[0]?.path.split('?')[1]).get('payment_intent')).toBe('pi_3Prepared');
    await expect(
      connector.findRefund({ paymentPspReference: 'pi_3Prepared', attemptId: 'att_none' }),
    ).resolves.toBeUndefined();
  });

  it('does not claim "no refund" from a full page', async () => {
    handler = (_request, response) => json(response, 200, { object: 'list', data: [], has_more: true });
    await expect(
      connector.findRefund({ paymentPspReference: 'pi_3Prepared', attemptId: 'att_r' }),
    ).rejects.toMatchObject({ errorClass: 'indeterminate' });
  });

  it('says it can retrieve', () => {
    expect(connector.capabilities.retrieve).toBe(true);
  });
});
