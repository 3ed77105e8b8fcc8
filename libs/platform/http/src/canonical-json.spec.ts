import { createHash } from 'node:crypto';
import { canonicalJson } from './request-fingerprint';
import { requestFingerprint } from './request-fingerprint';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 2, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":2}',
    );
    expect(canonicalJson(JSON.parse('{ "currency" : "usd",\n "amount" : 100 }'))).toBe(
      '{"amount":100,"currency":"usd"}',
    );
  });

  it('keeps array order and JSON scalars as JSON writes them', () => {
    expect(canonicalJson([2, 1, 'a', null, true, 1.5])).toBe('[2,1,"a",null,true,1.5]');
    expect(canonicalJson('é"\n')).toBe(JSON.stringify('é"\n'));
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('requestFingerprint', () => {
  const path = '/v1/payment_intents';

  it('ignores key order', () => {
    expect(
      requestFingerprint('POST', path, { amount: 100, currency: 'USD', metadata: { a: '1', b: '2' } }),
    ).toBe(requestFingerprint('POST', path, { metadata: { b: '2', a: '1' }, currency: 'USD', amount: 100 }));
  });

  it('treats {} and no body alike', () => {
    const capture = '/v1/payment_intents/pi_1/capture';
    expect(requestFingerprint('POST', capture, {})).toBe(requestFingerprint('POST', capture, undefined));
    expect(requestFingerprint('POST', capture, null)).toBe(requestFingerprint('POST', capture, undefined));
  });

  it('is sha256 hex of "METHOD path body"', () => {
    const expected = createHash('sha256')
      .update('POST /v1/payment_intents {"amount":1,"currency":"USD"}')
      .digest('hex');
    expect(requestFingerprint('post', path, { currency: 'USD', amount: 1 })).toBe(expected);
  });

  it('differs when the body, the path or the method differ', () => {
    const base = requestFingerprint('POST', path, { amount: 100 });
    expect(requestFingerprint('POST', path, { amount: 101 })).not.toBe(base);
    expect(requestFingerprint('POST', '/v1/payment_intents/pi_1/capture', { amount: 100 })).not.toBe(base);
    expect(requestFingerprint('PUT', path, { amount: 100 })).not.toBe(base);
    expect(requestFingerprint('POST', path, { amount: '100' })).not.toBe(base);
    expect(requestFingerprint('POST', path, { list: [1, 2] })).not.toBe(
      requestFingerprint('POST', path, { list: [2, 1] }),
    );
  });
});
