/** Which gapless sequence an invoice draws from: customers on a test clock never consume real numbers. */
export type NumberSequence = 'live' | 'test';

export function sequenceOf(testClockId: string | null): NumberSequence {
  return testClockId === null ? 'live' : 'test';
}

/**
 * `<prefix>-000001` (API.md), `TEST-<prefix>-000001` from the test sequence. Six digits at least;
 * the millionth invoice simply has seven, Stripe's way, rather than wrapping or failing.
 */
export function formatInvoiceNumber(prefix: string, sequence: NumberSequence, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`invoice number must be a positive integer: ${n}`);
  return `${sequence === 'test' ? 'TEST-' : ''}${prefix}-${String(n).padStart(6, '0')}`;
}
