/**
 * The statuses of a payment intent (API.md; transitions in DESIGN.md, "Payment intent state
 * machine"). `authorizing`, `capturing` and `canceling` also mean "outcome not known yet": an
 * intent stays there while a PSP answer is pending or indeterminate.
 */
export const PAYMENT_INTENT_STATUSES = [
  'created',
  'authorizing',
  'authorized',
  'capturing',
  'captured',
  'partially_refunded',
  'refunded',
  'canceling',
  'canceled',
  'failed',
] as const;

export type PaymentIntentStatus = (typeof PAYMENT_INTENT_STATUSES)[number];

/** `manual` (the default) waits for a capture call; `automatic` captures everything on authorize. */
export const CAPTURE_METHODS = ['manual', 'automatic'] as const;

export type CaptureMethod = (typeof CAPTURE_METHODS)[number];
