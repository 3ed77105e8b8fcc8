import type { PspConnector, PspResult } from '@payflow/psp';
import type { Attempt } from '../attempts/attempt';

/** The connector call an attempt stands for, with its ids and idempotency key. */
export function callPsp(connector: PspConnector, attempt: Attempt): Promise<PspResult> {
  const context = { intentId: attempt.intent_id, attemptId: attempt.id, idempotencyKey: attempt.idempotency_key };
  const pspReference = attempt.psp_reference ?? '';
  switch (attempt.operation) {
    case 'authorize':
      return connector.authorize({
        ...context,
        amount: attempt.amount,
        currency: attempt.currency,
        paymentMethod: attempt.payment_method ?? '',
        captureMethod: attempt.capture_method ?? 'manual',
      });
    case 'capture':
      return connector.capture({ ...context, pspReference, amount: attempt.amount, currency: attempt.currency });
    case 'refund':
      return connector.refund({
        ...context,
        pspReference,
        refundId: attempt.refund_id ?? '',
        amount: attempt.amount,
        currency: attempt.currency,
        ...(attempt.reason ? { reason: attempt.reason } : {}),
      });
    case 'cancel':
      return connector.cancel({
        ...context,
        pspReference,
        amount: attempt.amount,
        currency: attempt.currency,
        ...(attempt.reason ? { reason: attempt.reason } : {}),
      });
  }
}
