/**
 * Public ids of billing's objects (BILLING-INTERFACES: prefix + 24 lowercase alphanumerics). The
 * patterns are a little wider than what billing mints (any alphanumerics, up to 64) so that a
 * well-formed id billing never issued is a `404` from billing, while anything else — another
 * object's id, a path fragment, an injection attempt — is a `404` (path) or a `400` (body, query)
 * from the gateway without a call.
 */
export const CUSTOMER_ID_PATTERN = /^cus_[A-Za-z0-9]{1,64}$/;
export const PRICE_ID_PATTERN = /^price_[A-Za-z0-9]{1,64}$/;
export const SUBSCRIPTION_ID_PATTERN = /^sub_[A-Za-z0-9]{1,64}$/;
export const INVOICE_ID_PATTERN = /^in_[A-Za-z0-9]{1,64}$/;
export const TEST_CLOCK_ID_PATTERN = /^clock_[A-Za-z0-9]{1,64}$/;

export const BILLING_ID_PATTERNS = {
  customer: CUSTOMER_ID_PATTERN,
  price: PRICE_ID_PATTERN,
  subscription: SUBSCRIPTION_ID_PATTERN,
  invoice: INVOICE_ID_PATTERN,
  test_clock: TEST_CLOCK_ID_PATTERN,
} as const;

export type BillingObjectName = keyof typeof BILLING_ID_PATTERNS;
