import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';

/**
 * What makes two requests "the same request" for Idempotency-Key (DESIGN.md): sha256 hex of
 * `METHOD path canonical-json-body`, where no body counts as `{}`, so a retry that drops an empty
 * body is still the same request. The path is the public one, without the query string.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  const canonicalBody = body === undefined || body === null ? '{}' : canonicalJson(body);
  return createHash('sha256')
    .update(`${method.toUpperCase()} ${path} ${canonicalBody}`, 'utf8')
    .digest('hex');
}
