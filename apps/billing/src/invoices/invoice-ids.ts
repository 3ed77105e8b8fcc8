import { createHash } from 'node:crypto';

/**
 * A subscription's invoice id is a function of the subscription and the invoice key (which period
 * boundary, or which `now:` instant), like its lines' ids: regenerating from the same streams gives
 * the same invoices, byte for byte, and two writers of one invoice collide on its primary key.
 */
export function invoiceIdOf(subscriptionId: string, invoiceKey: string): string {
  return `in_${createHash('sha256').update(`${subscriptionId}\u0000${invoiceKey}`).digest('hex').slice(0, 24)}`;
}

/** The boundary (epoch seconds) of a `b:<seconds>` key, null for a `now:` key. */
export function boundaryOfKey(invoiceKey: string): number | null {
  const match = /^b:(\d+)$/.exec(invoiceKey);
  return match ? Number(match[1]) : null;
}
