import { boundedIdempotencyKey } from './idempotency-key';

describe('boundedIdempotencyKey', () => {
  it('keeps keys within the limit', () => {
    expect(boundedIdempotencyKey('att_1:authorize', 64)).toBe('att_1:authorize');
  });

  it('hashes longer keys deterministically and keeps them distinct', () => {
    const long = 'x'.repeat(100);
    expect(boundedIdempotencyKey(long, 64)).toHaveLength(64);
    expect(boundedIdempotencyKey(long, 64)).toBe(boundedIdempotencyKey(long, 64));
    expect(boundedIdempotencyKey(`${long}y`, 64)).not.toBe(boundedIdempotencyKey(long, 64));
  });
});
