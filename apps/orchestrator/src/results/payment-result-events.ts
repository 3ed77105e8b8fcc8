import { createEvent, type EventOf } from '@payflow/contracts';
import type { Attempt } from '../attempts/attempt';
import { errorTypeOf } from './error-type';
import type { SettlementCause } from './settlement';

export type PaymentResultType =
  | 'payment.authorized'
  | 'payment.authorization_failed'
  | 'payment.captured'
  | 'payment.capture_failed'
  | 'payment.canceled'
  | 'payment.cancel_failed'
  | 'payment.refunded'
  | 'payment.refund_failed'
  | 'payment.capture_reversed'
  | 'payment.refund_reversed'
  | 'payment.late_success'
  | 'payment.late_success_reversed';

const SUCCESS: Record<Attempt['operation'], PaymentResultType> = {
  authorize: 'payment.authorized',
  capture: 'payment.captured',
  cancel: 'payment.canceled',
  refund: 'payment.refunded',
};

const FAILURE: Record<Attempt['operation'], PaymentResultType> = {
  authorize: 'payment.authorization_failed',
  capture: 'payment.capture_failed',
  cancel: 'payment.cancel_failed',
  refund: 'payment.refund_failed',
};

export function resultTypeOf(attempt: Attempt, succeeded: boolean): PaymentResultType {
  return (succeeded ? SUCCESS : FAILURE)[attempt.operation];
}

/**
 * What every `payment.*` event says of its attempt. A failure carries everything dunning needs:
 * code, decline code, network, advice code, and its API.md error type.
 */
export function attemptFields(attempt: Attempt, amount: number) {
  const failed = attempt.status === 'declined' || attempt.status === 'failed';
  return {
    intent_id: attempt.intent_id,
    attempt_id: attempt.id,
    provider: attempt.provider,
    psp_reference: attempt.psp_reference,
    amount,
    currency: attempt.currency,
    code: failed ? attempt.code : null,
    decline_code: failed ? attempt.decline_code : null,
    message: failed ? attempt.message : null,
    error_type: errorTypeOf(attempt),
    network: failed ? attempt.network : null,
    advice_code: failed ? attempt.advice_code : null,
  };
}

/**
 * A `payment.*` event about a settled attempt (DESIGN.md's catalogue): aggregate `attempt`, keyed
 * by the intent id on the wire. `amount` is what this operation moved.
 */
export function paymentResultEvent(
  type: PaymentResultType,
  attempt: Attempt,
  amount: number,
  version: number,
  cause: SettlementCause,
  now: Date,
  /** Fields of the event type beyond the attempt's (late successes), or overrides (reversals). */
  extra: Record<string, unknown> = {},
): EventOf<PaymentResultType> {
  const data = {
    ...attemptFields(attempt, amount),
    ...(attempt.operation === 'refund' ? { refund_id: attempt.refund_id } : {}),
    ...extra,
  };
  return createEvent({
    type,
    source: 'orchestrator',
    aggregate_type: 'attempt',
    aggregate_id: attempt.id,
    aggregate_version: version,
    merchant_id: attempt.merchant_id,
    correlation_id: cause.correlationId,
    causation_id: cause.eventId,
    occurred_at: now.toISOString(),
    data,
  } as Parameters<typeof createEvent<PaymentResultType>>[0]);
}
