import { hard, technical, type DeclineSection } from './decline-rule';

/**
 * PayFlow's own `last_error.code`s (and `invoice.payment_failed` codes) for failures that are no
 * issuer's decline. Technical: the card was never judged, or PayFlow cannot tell what happened, so
 * a sooner try is right (and counts in no network's decline budget the card has not spent).
 * Hard: billing's "no usable card" codes and amounts no payment can carry — no retry of the same
 * payment method can succeed.
 */
export const PAYFLOW_CODES: DeclineSection = Object.freeze({
  // Orchestrator (apps/orchestrator/src/worker, results, requests).
  payment_outcome_unknown: technical, // The PSP never confirmed; cancelled by reference, then failed.
  psp_unavailable: technical, // The provider's circuit breaker is open (worker/next-step.ts).
  circuit_open: technical, // The same, as the issue names it.
  no_eligible_provider: technical, // Routing found no PSP (all breakers open, none configured for it).
  internal_error: technical, // Something around the PSP call failed unexplained.
  authorization_not_found: technical, // A broken invariant of PayFlow's, logged as an error.
  payment_reference_unknown: technical, // Nothing names the payment to cancel by.
  // libs/psp PspError codes (core/transport-errors.ts, stripe.codes.ts, adyen.codes.ts).
  psp_unreachable: technical, // Connect phase failed: refused, DNS, unreachable.
  psp_tls_handshake_failed: technical, // The PSP's certificate was refused.
  psp_connection_reset: technical, // The connection broke mid-call.
  psp_connection_error: technical, // The answer was cut off.
  psp_timeout: technical, // The PSP answered too late (timeouts).
  psp_error: technical, // A PSP 5xx.
  psp_request_in_progress: technical, // The PSP still runs the first request with this key (409).
  psp_authentication_failed: technical, // PayFlow's PSP credentials were refused (401/403).
  rate_limited: technical, // The PSP throttled PayFlow (429).
  invalid_request: technical, // The PSP refused PayFlow's request (400/422): PayFlow's problem, not the card's.
  idempotency_key_reused: technical, // The same.
  payment_intent_unexpected_state: technical, // The same: Stripe's payment was in a state PayFlow did not expect.
  operation_not_supported: technical, // The PSP does not offer the operation; another route may.
  amount_not_supported: technical, // The PSP cannot represent the amount; another PSP may take it.
  // Intents and billing (apps/intents/src/results/payment-results.ts, apps/billing/src/payments).
  capture_failed: technical, // An automatic capture failed after the authorization.
  capture_reversed: technical, // The PSP reversed a capture it had confirmed (Adyen CAPTURE_FAILED).
  cancel_failed: technical, // A void failed: the intent stays authorized.
  payment_failed: technical, // Billing's code for a failure event that named none.
  api_error: technical, // Stripe's type for failures on the processing side, when given as a code.
  // Billing's "no usable card" (apps/billing/src/invoices/payment-attempts.ts, SPEC.md).
  payment_method_missing: hard, // The customer has no payment method.
  payment_method_unusable: hard, // The customer's card was hard-declined before: billing asks for nothing on it.
  amount_out_of_range: hard, // The invoice's amount is one no payment can carry: retrying the same card cannot help.
});
