import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AdyenConnector } from './adyen.connector';

/** A stand-in for Adyen Checkout: records each request, answers as the test says. */
interface Seen {
  method: string;
  path: string;
  body: Record<string, unknown>;
  idempotencyKey?: string;
}

let server: Server;
let answer: (response: ServerResponse) => void;
let seen: Seen[];
let connector: AdyenConnector;

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

beforeAll(async () => {
  server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      seen.push({
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        body: body ? (JSON.parse(body) as Record<string, unknown>) : {},
        idempotencyKey: incoming.headers['idempotency-key'] as string | undefined,
      });
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  connector = new AdyenConnector({
    apiKey: 'test_key',
    merchantAccount: 'PayFlowECOM',
    checkoutBaseUrl: `http://127.0.0.1:${port}`,
    timeoutMs: 1_000,
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

describe('AdyenConnector', () => {
  it('sends <intent>:<attempt> as the payment reference and reads a refusal with its network codes', async () => {
    answer = (response) =>
      json(response, 200, {
        pspReference: 'PAY0001',
        resultCode: 'Refused',
        refusalReason: 'Not enough balance',
        refusalReasonCode: '12',
        amount: { currency: 'EUR', value: 1_000 },
        additionalData: { refusalReasonRaw: '51 : Insufficient funds', paymentMethod: 'visa' },
      });
    const result = await connector.authorize({
      intentId: 'pi_payflow1',
      attemptId: 'att_1',
      idempotencyKey: 'payflow_att_1_authorize',
      amount: 1_000,
      currency: 'EUR',
      paymentMethod: 'pm_card_chargeDeclinedInsufficientFunds',
      captureMethod: 'automatic',
    });
    expect(seen[0]?.path).toMatch(/\/payments$/);
    expect(seen[0]?.body).toMatchObject({ reference: 'pi_payflow1:att_1' });
    expect(result).toMatchObject({
      outcome: 'declined',
      code: 'insufficient_funds',
      declineCode: 'insufficient_funds',
      network: 'visa',
      networkDeclineCode: '51',
    });
  });

  it('cancels by reference through POST /cancels and waits for TECHNICAL_CANCEL', async () => {
    answer = (response) =>
      json(response, 201, {
        merchantAccount: 'PayFlowECOM',
        paymentReference: 'pi_payflow1:att_auth',
        pspReference: 'CANCEL0001',
        reference: 'pi_payflow1:att_void',
        status: 'received',
      });
    const result = await connector.cancelByReference({
      intentId: 'pi_payflow1',
      attemptId: 'att_void',
      idempotencyKey: 'payflow_att_void_cancel',
      paymentIntentId: 'pi_payflow1',
      paymentAttemptId: 'att_auth',
      amount: 1_000,
      currency: 'EUR',
    });
    expect(seen[0]).toMatchObject({
      method: 'POST',
      idempotencyKey: 'payflow_att_void_cancel',
      body: {
        merchantAccount: 'PayFlowECOM',
        paymentReference: 'pi_payflow1:att_auth',
        reference: 'pi_payflow1:att_void',
      },
    });
    expect(seen[0]?.path).toMatch(/\/v\d+\/cancels$/);
    expect(result).toEqual({
      provider: 'adyen',
      outcome: 'pending',
      pspReference: 'CANCEL0001',
      paymentPspReference: 'CANCEL0001',
      amount: 1_000,
      currency: 'EUR',
    });
  });

  it('reads a 503 with Transient-Error on a technical cancel as indeterminate', async () => {
    answer = (response) => {
      response.writeHead(503, { 'content-type': 'application/json', 'transient-error': 'true' });
      response.end(JSON.stringify({ status: 503, errorCode: '000', message: 'busy', errorType: 'internal' }));
    };
    await expect(
      connector.cancelByReference({
        intentId: 'pi_payflow1',
        attemptId: 'att_void',
        idempotencyKey: 'k',
        paymentIntentId: 'pi_payflow1',
        paymentAttemptId: 'att_auth',
      }),
    ).rejects.toMatchObject({ errorClass: 'indeterminate', retryable: true });
  });

  it('has no read call', async () => {
    expect(connector.capabilities.retrieve).toBe(false);
    await expect(connector.retrieve({ pspReference: 'PAY0001' })).rejects.toMatchObject({
      code: 'operation_not_supported',
    });
  });
});
