import { createEvent, type EventOf } from '@payflow/contracts';
import type { Attempt } from '../attempts/attempt';
import type { SettlementCause } from './settlement';

export type PaymentResultType =
  | 'payment.authorized'
  | 'payment.authorization_failed'
  | 'payment.captured'
  | 'payment.capture_failed'
  | 'payment.canceled'
  | 'payment.cancel_failed'
  | 'payment.refunded'
  | 'payment.refund_failed';

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
): EventOf<PaymentResultType> {
  const data = {
    intent_id: attempt.intent_id,
    attempt_id: attempt.id,
    provider: attempt.provider,
    psp_reference: attempt.psp_reference,
    amount,
    currency: attempt.currency,
    code: attempt.status === 'succeeded' ? null : attempt.code,
    decline_code: attempt.status === 'succeeded' ? null : attempt.decline_code,
    message: attempt.status === 'succeeded' ? null : attempt.message,
    ...(attempt.operation === 'refund' ? { refund_id: attempt.refund_id } : {}),
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
