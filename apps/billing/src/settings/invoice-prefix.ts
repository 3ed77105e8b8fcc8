import { INVOICE_PREFIX_PATTERN } from '@payflow/api';

/** What a merchant may set (API.md): 3 to 12 upper-case letters or digits. */
export { INVOICE_PREFIX_PATTERN };

/**
 * The prefix of a merchant that never set one (API.md): the last 8 characters of its id, upper
 * case. Gateway ids are `mer_` + 16 base-62 characters, so that is 8 letters or digits; for any
 * other shape (ids allow `_` and `-`, and may be short) only letters and digits are kept and a
 * prefix shorter than 3 is padded with `0`, so the default always satisfies the pattern.
 */
export function defaultInvoicePrefix(merchantId: string): string {
  const body = merchantId.replace(/^mer_/, '').replace(/[^A-Za-z0-9]/g, '').toUpperCase();
  return body.slice(-8).padStart(3, '0');
}
