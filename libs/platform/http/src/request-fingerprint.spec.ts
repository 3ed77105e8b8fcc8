import { canonicalJson, requestFingerprint } from './request-fingerprint';

describe('request fingerprint', () => {
  it('ignores key order and treats no body as {}', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
    expect(requestFingerprint('post', '/p', undefined)).toBe(requestFingerprint('POST', '/p', {}));
    expect(requestFingerprint('POST', '/p', { a: 1, b: 2 })).toBe(
      requestFingerprint('POST', '/p', { b: 2, a: 1 }),
    );
  });

  it('changes with the method, the path or the body', () => {
    const base = requestFingerprint('POST', '/p', { amount: 1 });
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint('POST', '/q', { amount: 1 })).not.toBe(base);
    expect(requestFingerprint('POST', '/p', { amount: 2 })).not.toBe(base);
    expect(requestFingerprint('PUT', '/p', { amount: 1 })).not.toBe(base);
  });
});
