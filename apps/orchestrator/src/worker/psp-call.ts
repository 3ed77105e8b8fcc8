import type { PspConnector, PspResult } from '@payflow/psp';
import { PspError } from '@payflow/psp';
import type { Attempt } from '../attempts/attempt';

/**
 * The connector call an attempt stands for, with its ids and idempotency key. An authorization with
 * a prepared payment (Stripe) confirms it; a cancel without the payment's reference (an Adyen
 * authorization never answered) is a cancel by PayFlow's reference — Adyen's technical cancel.
 */
export function callPsp(connector: PspConnector, attempt: Attempt): Promise<PspResult> {
  const context = {
    intentId: attempt.intent_id,
    attemptId: attempt.id,
    idempotencyKey: attempt.idempotency_key,
  };
  const pspReference = attempt.psp_reference ?? '';
  switch (attempt.operation) {
    case 'authorize':
      return connector.authorize({
        ...context,
        amount: attempt.amount,
        currency: attempt.currency,
        paymentMethod: attempt.payment_method ?? '',
        captureMethod: attempt.capture_method ?? 'manual',
        ...(attempt.off_session ? { offSession: true } : {}),
        ...(attempt.psp_reference ? { pspReference: attempt.psp_reference } : {}),
      });
    case 'capture':
      return connector.capture({
        ...context,
        pspReference,
        amount: attempt.amount,
        currency: attempt.currency,
      });
    case 'refund':
      return connector.refund({
        ...context,
        pspReference,
        // A compensating refund (of a late success) belongs to no refund of the merchant's.
        refundId: attempt.refund_id ?? '',
        amount: attempt.amount,
        currency: attempt.currency,
        ...(attempt.reason ? { reason: attempt.reason } : {}),
      });
    case 'cancel':
      if (!attempt.psp_reference) return cancelByReference(connector, attempt, context);
      return connector.cancel({
        ...context,
        pspReference,
        amount: attempt.amount,
        currency: attempt.currency,
        ...(attempt.reason ? { reason: attempt.reason } : {}),
      });
  }
}

function cancelByReference(
  connector: PspConnector,
  attempt: Attempt,
  context: { intentId: string; attemptId: string; idempotencyKey: string },
): Promise<PspResult> {
  if (!connector.cancelByReference || !attempt.compensates_attempt_id) {
    // Nothing names the payment: the PSP cannot be asked. A refusal, so the attempt ends (and says why).
    return Promise.reject(
      new PspError({
        provider: connector.provider,
        errorClass: 'declined',
        retryable: false,
        code: 'payment_reference_unknown',
        message: `${connector.provider} payment of ${attempt.intent_id} has no reference to cancel by`,
      }),
    );
  }
  return connector.cancelByReference({
    ...context,
    paymentIntentId: attempt.intent_id,
    paymentAttemptId: attempt.compensates_attempt_id,
    ...(attempt.reason ? { reason: attempt.reason } : {}),
  });
}
