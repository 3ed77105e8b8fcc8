import { adminKeyMatches } from './admin-key.guard';
import { bearerToken } from './bearer-token';

describe('bearerToken', () => {
  it('reads the token of a Bearer authorization, scheme in any case', () => {
    expect(bearerToken('Bearer sk_test_abc')).toBe('sk_test_abc');
    expect(bearerToken('bearer  sk_test_abc ')).toBe('sk_test_abc');
  });

  it('refuses other schemes, missing tokens and tokens with spaces', () => {
    for (const header of [
      undefined,
      '',
      'Bearer',
      'Bearer ',
      'Basic c2tfdGVzdA==',
      'sk_test_abc',
      'Bearer a b',
    ]) {
      expect(bearerToken(header)).toBeUndefined();
    }
  });
});

describe('adminKeyMatches', () => {
  const admin = 'admin-key-0123456789abcdef';

  it('accepts only the exact admin key, whatever the length of the guess', () => {
    expect(adminKeyMatches(admin, admin)).toBe(true);
    expect(adminKeyMatches(`${admin}x`, admin)).toBe(false);
    expect(adminKeyMatches(admin.slice(0, -1), admin)).toBe(false);
    expect(adminKeyMatches('', admin)).toBe(false);
    expect(adminKeyMatches(undefined, admin)).toBe(false);
  });
});
