import type { Request } from 'express';
import { ApiError } from './api-error';
import { idempotencyScopeOf, internalRequestContextOf, merchantIdOf } from './internal-request';
import { requestFingerprint } from './request-fingerprint';

const anyKey = (key: string) => key.length > 0 && key.length <= 255;
const FINGERPRINT = 'a'.repeat(64);

function request(
  headers: Record<string, string | string[]>,
  extra: Partial<Request> & { id?: unknown } = {},
): Request {
  return {
    method: 'POST',
    path: '/internal/v1/things',
    body: { a: 1 },
    headers,
    ...extra,
  } as unknown as Request;
}

function refusal(work: () => unknown): { status: number; body: ReturnType<ApiError['body']> } {
  try {
    work();
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, body: error.body() };
    throw error;
  }
  throw new Error('expected an ApiError');
}

describe('merchantIdOf', () => {
  it('takes the merchant the gateway names, the first of repeated headers', () => {
    expect(merchantIdOf(request({ 'x-merchant-id': 'mer_abc' }))).toBe('mer_abc');
    expect(merchantIdOf(request({ 'x-merchant-id': ['mer_one', 'mer_two'] }))).toBe('mer_one');
  });

  it('refuses a call without a well-formed merchant with 401 merchant_missing', () => {
    const cases: Record<string, string>[] = [{}, { 'x-merchant-id': 'acct_1' }, { 'x-merchant-id': 'mer_' }];
    for (const headers of cases) {
      expect(refusal(() => merchantIdOf(request(headers)))).toMatchObject({
        status: 401,
        body: { error: { type: 'authentication_error', code: 'merchant_missing' } },
      });
    }
  });
});

describe('idempotencyScopeOf', () => {
  it('scopes a POST key to the merchant with the gateway fingerprint', () => {
    const scope = idempotencyScopeOf(
      request({ 'idempotency-key': 'k-1', 'x-idempotency-fingerprint': FINGERPRINT }),
      'mer_a',
      anyKey,
    );
    expect(scope).toEqual({ merchantId: 'mer_a', key: 'k-1', fingerprint: FINGERPRINT });
  });

  it('fingerprints the internal request itself when the caller sent no fingerprint', () => {
    const scope = idempotencyScopeOf(request({ 'idempotency-key': 'k-1' }), 'mer_a', anyKey);
    expect(scope?.fingerprint).toBe(requestFingerprint('POST', '/internal/v1/things', { a: 1 }));
  });

  it('has no scope without a key or for other methods', () => {
    expect(idempotencyScopeOf(request({}), 'mer_a', anyKey)).toBeNull();
    expect(
      idempotencyScopeOf(request({ 'idempotency-key': 'k' }, { method: 'GET' }), 'mer_a', anyKey),
    ).toBeNull();
  });

  it('answers 400 naming the header for a key the rule refuses or a malformed fingerprint', () => {
    expect(
      refusal(() => idempotencyScopeOf(request({ 'idempotency-key': '' }), 'mer_a', anyKey)),
    ).toMatchObject({
      status: 400,
      body: { error: { param: 'Idempotency-Key' } },
    });
    expect(
      refusal(() =>
        idempotencyScopeOf(
          request({ 'idempotency-key': 'k', 'x-idempotency-fingerprint': 'ABC' }),
          'mer_a',
          anyKey,
        ),
      ),
    ).toMatchObject({ status: 400, body: { error: { param: 'x-idempotency-fingerprint' } } });
  });
});

describe('internalRequestContextOf', () => {
  it('keeps a safe correlation id and falls back to the request id otherwise', () => {
    const safe = internalRequestContextOf(
      request({ 'x-merchant-id': 'mer_a', 'x-correlation-id': 'corr-1' }, { id: 'req_9' }),
      anyKey,
    );
    expect(safe).toEqual({
      merchantId: 'mer_a',
      requestId: 'req_9',
      correlationId: 'corr-1',
      idempotency: null,
    });
    const unsafe = internalRequestContextOf(
      request({ 'x-merchant-id': 'mer_a', 'x-correlation-id': 'bad id with spaces' }, { id: 'req_9' }),
      anyKey,
    );
    expect(unsafe.correlationId).toBe('req_9');
  });

  it('assigns a request id when the request has none', () => {
    expect(internalRequestContextOf(request({ 'x-merchant-id': 'mer_a' }), anyKey).requestId).toMatch(
      /^req_[0-9a-f-]{36}$/,
    );
  });
});
