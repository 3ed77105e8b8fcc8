import type { CaptureMethod, Provider } from '@payflow/contracts';
import type { PspErrorClass } from '@payflow/psp';

/** What an attempt asks its PSP to do. */
export const OPERATIONS = ['authorize', 'capture', 'cancel', 'refund'] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * - `pending`: not settled — due for a call (`next_attempt_at`), being called (a lease), or accepted
 *   by the PSP and waiting for its webhook (`awaiting_notification_since`, no `next_attempt_at`).
 * - `unknown`: indeterminate calls exhausted; replayed with the same key until a webhook or a
 *   replay settles it, or the deadline passes.
 * - `succeeded`, `declined` (the PSP said no), `failed` (never executed, refused, or given up).
 */
export const ATTEMPT_STATUSES = ['pending', 'succeeded', 'declined', 'failed', 'unknown'] as const;
export type AttemptStatus = (typeof ATTEMPT_STATUSES)[number];

export const SETTLED_STATUSES: readonly AttemptStatus[] = ['succeeded', 'declined', 'failed'];

export function isSettled(status: AttemptStatus): boolean {
  return SETTLED_STATUSES.includes(status);
}

/**
 * Why PayFlow sends an attempt on its own:
 * - `deadline_cancel`: an authorization unknown at UNKNOWN_OUTCOME_DEADLINE_MS is cancelled by reference;
 * - `late_success_void` / `late_success_refund`: a success reported for an authorization PayFlow had
 *   given up is undone — a void of the hold, or a refund of what was captured.
 */
export const COMPENSATIONS = ['deadline_cancel', 'late_success_void', 'late_success_refund'] as const;
export type Compensation = (typeof COMPENSATIONS)[number];

/**
 * An authorization's deadline resolution: `deadline_cancel` while its cancel runs (no replays, a
 * late success waits for the cancel's answer); `awaiting_authorization` when the cancel was refused
 * because the payment was captured — the refund follows the PSP's authorization report.
 */
export const RESOLUTIONS = ['deadline_cancel', 'awaiting_authorization'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

/** An `attempts` row. Amounts are integer minor units (each fits 2^53 by far). */
export interface Attempt {
  id: string;
  intent_id: string;
  merchant_id: string;
  operation: Operation;
  /** What asked for it; one row per (request_ref, route_index). */
  request_ref: string;
  /** 0 for the first PSP tried; +1 per failover (authorizations only). */
  route_index: number;
  /** null only for an authorization no PSP could take (failed at once, nothing sent). */
  provider: Provider | null;
  /** Eligible providers in routing order (authorizations), for failover. */
  route: Provider[];
  routing_reason: string | null;
  /** Claims of this attempt, each a PSP call under its idempotency key (a lapsed claim's call may have run). */
  try_no: number;
  /** Claims whose lease lapsed before an outcome was recorded (each sets `maybe_executed`). */
  lapsed_claims: number;
  idempotency_key: string;
  amount: number;
  currency: string;
  payment_method: string | null;
  capture_method: CaptureMethod | null;
  /** Authorizations: merchant-initiated without the customer present (billing's invoices), told to the PSP. */
  off_session: boolean;
  refund_id: string | null;
  reason: string | null;
  /** The payment at the PSP: set by the authorization, copied onto captures, refunds and cancels. */
  psp_reference: string | null;
  /** What this call created at the PSP when it differs (a refund, an Adyen modification). */
  operation_psp_reference: string | null;
  status: AttemptStatus;
  /**
   * Whether any call of this attempt may have been executed — an indeterminate failure, an accepted
   * call, or a claim that lapsed without an outcome: failover (a new key) is allowed only when not.
   */
  maybe_executed: boolean;
  /** A void PayFlow sends on its own (a late authorization of a failed attempt): no result event. */
  compensating: boolean;
  amount_captured: number | null;
  error_class: PspErrorClass | 'breaker_open' | null;
  code: string | null;
  decline_code: string | null;
  message: string | null;
  /** Declines: the card network (`visa`, `mastercard`, …) and the network's advice code, where the PSP says. */
  network: string | null;
  advice_code: string | null;
  /** The first money call under this attempt's key (no same-key replay past the replay window). */
  first_called_at: Date | null;
  /** A compensating attempt: the attempt it undoes, and why (`compensating` is true). */
  compensates_attempt_id: string | null;
  compensation: Compensation | null;
  /** Authorizations: the deadline resolution under way (see `Resolution`). */
  resolution: Resolution | null;
  /** Retrieves of this attempt's state at the PSP so far (reconciliation backoff). */
  reconcile_tries: number;
  /** Awaiting a notification past PSP_NOTIFICATION_DEADLINE_MS (PSPs without a read call): alerting. */
  overdue_since: Date | null;
  /** A success the PSP took back later (CAPTURE_FAILED, REFUND_FAILED, REFUNDED_REVERSED, a Stripe refund failing). */
  reversed_at: Date | null;
  /** A succeeded refund at a PSP whose refunds can be read: when it is read again (it may still fail). */
  verify_at: Date | null;
  next_attempt_at: Date | null;
  lease_id: string | null;
  awaiting_notification_since: Date | null;
  unknown_since: Date | null;
  request_event_id: string;
  correlation_id: string | null;
  version: number;
  created_at: Date;
  updated_at: Date;
  settled_at: Date | null;
}

/** What a new attempt is made of; the rest is derived or defaulted by the repository. */
export type NewAttempt = Partial<Pick<Attempt, 'compensates_attempt_id' | 'compensation' | 'off_session'>> &
  Pick<
    Attempt,
    | 'intent_id'
    | 'merchant_id'
    | 'operation'
    | 'request_ref'
    | 'route_index'
    | 'provider'
    | 'route'
    | 'routing_reason'
    | 'amount'
    | 'currency'
    | 'payment_method'
    | 'capture_method'
    | 'refund_id'
    | 'reason'
    | 'psp_reference'
    | 'compensating'
    | 'request_event_id'
    | 'correlation_id'
  >;
