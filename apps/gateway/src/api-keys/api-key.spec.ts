import { createHmac } from 'node:crypto';
import { ApiKeyHasher, generateApiKey, looksLikeApiKey } from './api-key';

describe('API keys', () => {
  it('generates sk_test_ keys of 256 random bits with a short display prefix', () => {
    const { key, prefix } = generateApiKey();
    expect(key).toMatch(/^sk_test_[A-Za-z0-9]{43}$/);
    expect(prefix).toBe(key.slice(0, 12));
    expect(looksLikeApiKey(key)).toBe(true);
    expect(new Set(Array.from({ length: 50 }, () => generateApiKey().key)).size).toBe(50);
  });

  it('refuses what cannot be a key before hashing it', () => {
    for (const bad of [
      '',
      'sk_test_',
      'sk_live_abcdefghijklmnopqrstu',
      'pk_test_abcdefghijklmnopqrstu',
      'sk_test_abc def ghi jkl mno p',
    ]) {
      expect(looksLikeApiKey(bad)).toBe(false);
    }
  });

  it('hashes with HMAC-SHA256 under the secret, hex, deterministic and secret-dependent', () => {
    const key = 'sk_test_0123456789abcdefABCDEF';
    const hasher = new ApiKeyHasher('hash-secret-0123456789');
    expect(hasher.hash(key)).toBe(createHmac('sha256', 'hash-secret-0123456789').update(key).digest('hex'));
    expect(hasher.hash(key)).toMatch(/^[0-9a-f]{64}$/);
    expect(hasher.hash(key)).toBe(hasher.hash(key));
    expect(new ApiKeyHasher('another-secret-0123456').hash(key)).not.toBe(hasher.hash(key));
    expect(hasher.hash(`${key}x`)).not.toBe(hasher.hash(key));
  });
});
