import type { Tx } from '@payflow/platform/database';
import type { Attempt } from './attempt';
import { requestRefs } from './attempt-ids';
import type { AttemptsRepository } from './attempts.repository';

/**
 * Schedules a void of an authorization PayFlow already reported failed (an unknown outcome past its
 * deadline, or a success that arrived after the attempt failed): the customer's money must not stay
 * held. A compensating attempt publishes no result; one per authorization attempt.
 */
export function scheduleCompensatingVoid(
  attempts: AttemptsRepository,
  tx: Tx,
  authorization: Attempt,
  pspReference: string,
  causeEventId: string,
  now: Date,
): Promise<Attempt | null> {
  return attempts.insert(
    tx,
    {
      intent_id: authorization.intent_id,
      merchant_id: authorization.merchant_id,
      operation: 'cancel',
      request_ref: requestRefs.compensatingVoid(authorization.id),
      route_index: 0,
      provider: authorization.provider,
      route: authorization.provider ? [authorization.provider] : [],
      routing_reason: `void of authorization attempt ${authorization.id}`,
      amount: authorization.amount,
      currency: authorization.currency,
      payment_method: null,
      capture_method: null,
      refund_id: null,
      reason: 'payflow_compensating_void',
      psp_reference: pspReference,
      compensating: true,
      request_event_id: causeEventId,
      correlation_id: authorization.correlation_id,
    },
    now,
  );
}
