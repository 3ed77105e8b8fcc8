import { createHmac } from 'node:crypto';
import {
  computeSignature,
  newEndpointSecret,
  parseSignatureHeader,
  signatureHeader,
  verifySignature,
} from './payflow-signature';

const secret = 'whsec_test_0123456789abcdef';
const body = '{"id":"evt_1","object":"event","type":"payment_intent.succeeded"}';

describe('PayFlow-Signature', () => {
  it('is t=<unix>,v1=<hex HMAC-SHA256 of "t.body"> keyed with the whole secret string', () => {
    const header = signatureHeader(secret, 1_767_225_600, body);
    const expected = createHmac('sha256', secret).update(`1767225600.${body}`).digest('hex');
    expect(header).toBe(`t=1767225600,v1=${expected}`);
    expect(computeSignature(secret, 1_767_225_600, body)).toBe(expected);
  });

  it('verifies a fresh signature and refuses a tampered body, another secret, a stale or malformed header', () => {
    const now = 1_767_225_600;
    const header = signatureHeader(secret, now, body);
    expect(verifySignature(header, body, secret, now + 10)).toEqual({ valid: true });
    expect(verifySignature(header, body.replace('evt_1', 'evt_2'), secret, now)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifySignature(header, body, `${secret}x`, now)).toEqual({ valid: false, reason: 'mismatch' });
    expect(verifySignature(header, body, secret, now + 301)).toEqual({ valid: false, reason: 'stale' });
    expect(verifySignature('v1=abc', body, secret, now)).toEqual({ valid: false, reason: 'malformed' });
    expect(verifySignature(undefined, body, secret, now)).toEqual({ valid: false, reason: 'malformed' });
  });

  it('accepts any of several v1 signatures (secret rotation) and ignores unknown schemes', () => {
    const now = 1_767_225_600;
    const good = computeSignature(secret, now, body);
    const header = `t=${now},v0=zzz,v1=${'0'.repeat(64)},v1=${good}`;
    expect(parseSignatureHeader(header)).toEqual({ timestamp: now, signatures: ['0'.repeat(64), good] });
    expect(verifySignature(header, body, secret, now)).toEqual({ valid: true });
  });

  it('makes 256-bit whsec_ secrets, different every time', () => {
    const a = newEndpointSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newEndpointSecret()).not.toBe(a);
  });
});
