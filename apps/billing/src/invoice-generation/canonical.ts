import { createHash } from 'node:crypto';
import type { GeneratedLine } from './generate';

/**
 * Canonical JSON (object keys sorted, no whitespace) and its sha256, so "the same stream yields
 * the same lines, byte for byte" is one string comparison in the determinism tests.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('canonical JSON has no non-finite numbers');
    if (value === undefined) throw new TypeError('canonical JSON has no undefined');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function canonicalLineJson(line: GeneratedLine): string {
  return canonicalJson(line);
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** sha256 of the canonical JSON of a SET of lines: ordered by id, so the order given does not matter. */
export function linesHash(lines: readonly GeneratedLine[]): string {
  const sorted = [...lines].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return sha256Hex(`[${sorted.map(canonicalLineJson).join(',')}]`);
}
