import { Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';
import type { Attempt } from '../attempts/attempt';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { paymentAttemptsTotal } from '../metrics/orchestrator-metrics';
import { paymentResultEvent, resultTypeOf } from './payment-result-events';
import type { Settlement, SettlementCause } from './settlement';

/**
 * The end of an attempt: its final state and its `payment.*` result(s) in the outbox, in the
 * caller's transaction — so the result is published if and only if the state is recorded.
 * Compensating voids end silently: nobody asked for them.
 */
@Injectable()
export class AttemptResults {
  private readonly logger = new Logger(AttemptResults.name);

  constructor(
    private readonly attempts: AttemptsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async settle(
    tx: Tx,
    attempt: Attempt,
    settlement: Settlement,
    cause: SettlementCause,
    now: Date,
  ): Promise<Attempt> {
    const succeeded = settlement.status === 'succeeded';
    const amount = succeeded ? (settlement.amount ?? attempt.amount) : attempt.amount;
    const autoCaptured =
      succeeded && attempt.operation === 'authorize' && attempt.capture_method === 'automatic'
        ? (settlement.amountCaptured ?? amount)
        : null;
    let settled = await this.attempts.update(
      tx,
      attempt,
      {
        status: settlement.status,
        psp_reference: settlement.pspReference ?? attempt.psp_reference,
        ...(settlement.status !== 'failed' && settlement.operationPspReference
          ? { operation_psp_reference: settlement.operationPspReference }
          : {}),
        amount,
        amount_captured: autoCaptured,
        error_class:
          settlement.status === 'failed'
            ? (settlement.errorClass ?? null)
            : settlement.status === 'declined'
              ? 'declined'
              : null,
        code: succeeded ? null : settlement.code,
        decline_code: settlement.status === 'declined' ? (settlement.declineCode ?? null) : null,
        network: settlement.status === 'declined' ? (settlement.network ?? null) : null,
        advice_code: settlement.status === 'declined' ? (settlement.adviceCode ?? null) : null,
        message: succeeded ? null : settlement.message,
        next_attempt_at: null,
        lease_id: null,
        awaiting_notification_since: null,
        settled_at: now,
      },
      now,
    );
    paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: settlement.status });
    if (settled.compensating) {
      this.logger.log(`compensating void ${settled.id} of ${settled.intent_id} ${settlement.status}`);
      return settled;
    }
    const events = [
      paymentResultEvent(resultTypeOf(settled, succeeded), settled, amount, settled.version, cause, now),
    ];
    if (autoCaptured !== null && autoCaptured > 0) {
      // Automatic capture: the authorization and the capture are two facts; the second gets its own version.
      settled = await this.attempts.update(tx, settled, {}, now);
      events.push(paymentResultEvent('payment.captured', settled, autoCaptured, settled.version, cause, now));
    }
    await this.outbox.append(
      tx,
      events.map((event) => ({ topic: TOPICS.orchestrator, event, key: settled.intent_id })),
    );
    return settled;
  }
}
