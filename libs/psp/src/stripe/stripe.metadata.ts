/**
 * Metadata keys PayFlow writes on Stripe objects, so that Stripe's webhooks (which echo an
 * object's metadata) map back to PayFlow's intent, attempt and refund.
 */
export const STRIPE_METADATA = Object.freeze({
  intentId: 'payflow_intent_id',
  attemptId: 'payflow_attempt_id',
  /** Set on capture: the payment intent's `succeeded` event then names the capture attempt. */
  captureAttemptId: 'payflow_capture_attempt_id',
  refundId: 'payflow_refund_id',
  reason: 'payflow_reason',
});
