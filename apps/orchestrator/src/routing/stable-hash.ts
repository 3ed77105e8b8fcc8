import { createHash } from 'node:crypto';

/**
 * A bucket in [0, buckets) that depends only on `key`: a redelivered request, another replica or a
 * restart route the same intent the same way (a volume split must never flip on a retry).
 */
export function stableBucket(key: string, buckets: number): number {
  if (!Number.isSafeInteger(buckets) || buckets < 1)
    throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
  const value = createHash('sha256').update(key).digest().readUInt32BE(0);
  return value % buckets;
}
