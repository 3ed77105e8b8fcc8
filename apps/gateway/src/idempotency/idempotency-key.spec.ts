import { ApiError } from '@payflow/platform/http';
import { parseIdempotencyKey } from './idempotency-key';

function refusal(header: string | string[]): ApiError {
  try {
    parseIdempotencyKey(header);
  } catch (error) {
    return error as ApiError;
  }
  throw new Error(`expected ${JSON.stringify(header)} to be refused`);
}

describe('parseIdempotencyKey', () => {
  it('accepts 1 to 255 printable ASCII characters, spaces and punctuation included', () => {
    for (const key of ['a', 'unique-key-123', 'order 42: retry #1 ~!@', 'k'.repeat(255)])
      expect(parseIdempotencyKey(key)).toBe(key);
  });

  it('refuses an empty or too long key with a 400 on idempotency_key', () => {
    for (const bad of ['', 'k'.repeat(256)]) {
      const error = refusal(bad);
      expect(error).toBeInstanceOf(ApiError);
      expect(error.body()).toMatchObject({
        error: { type: 'invalid_request_error', param: 'idempotency_key' },
      });
      expect(error.status).toBe(400);
    }
  });

  it('refuses control and non-ASCII characters, and repeated headers', () => {
    for (const bad of ['tab\there', 'nul\u0000', 'café', 'del\u007f', ['a', 'b']])
      expect(refusal(bad).param).toBe('idempotency_key');
  });
});
