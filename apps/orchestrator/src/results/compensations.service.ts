import { Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';
import type { Attempt, Compensation } from '../attempts/attempt';
import { requestRefs } from '../attempts/attempt-ids';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { paymentAttemptsTotal } from '../metrics/orchestrator-metrics';
import { AttemptResults } from './attempt-results.service';
import {
  compensationFollowUp,
  isCapturedRefusal,
  lateSuccessEffect,
  type LateSuccessEffect,
} from './compensation';
import { paymentResultEvent } from './payment-result-events';
import type { SettlementCause } from './settlement';

/** What the PSP reported succeeded late: the payment's reference, what it authorized and captured. */
export interface LateSuccessReport {
  pspReference: string;
  amount: number;
  /** 0 for a hold only. */
  amountCaptured: number;
}

/**
 * Attempts PayFlow sends on its own to undo another (docs/orchestrator.md, "The PSP's last word"):
 * the deadline cancel of an unresolved authorization, and the void or refund of a late success.
 * They are tracked like any attempt (retries, reconciliation, overdue) and, when they end, their
 * follow-up happens here — in the transaction that settled them.
 */
@Injectable()
export class Compensations {
  private readonly logger = new Logger(Compensations.name);

  constructor(
    private readonly attempts: AttemptsRepository,
    private readonly results: AttemptResults,
    private readonly outbox: OutboxWriter,
  ) {}

  /**
   * An authorization unresolved at UNKNOWN_OUTCOME_DEADLINE_MS: no more replays; a cancel by
   * reference is scheduled (Stripe by the recorded id, Adyen by its technical cancel when the
   * payment's reference is unknown). Only its answer fails the authorization.
   */
  async startDeadlineCancel(tx: Tx, authorization: Attempt, now: Date): Promise<Attempt> {
    const cancel = await this.insertCompensating(
      tx,
      authorization,
      'deadline_cancel',
      authorization.psp_reference,
      authorization.amount,
      authorization.request_event_id,
      now,
    );
    if (cancel) paymentAttemptsTotal.inc({ operation: 'authorize', outcome: 'deadline_cancel' });
    this.logger.warn(
      `${authorization.id} (${authorization.provider}) unresolved at its deadline: cancelling it by reference (${cancel?.id})`,
    );
    return this.attempts.update(
      tx,
      authorization,
      { resolution: 'deadline_cancel', next_attempt_at: null, lease_id: null },
      now,
    );
  }

  /**
   * A success the PSP reported for an authorization PayFlow gave up on, or is resolving: decided by
   * `lateSuccessEffect`; a void or a refund is scheduled and `payment.late_success` published here.
   * `adopt` and `wait` are left to the caller (settle it / keep the report).
   */
  async lateSuccess(
    tx: Tx,
    authorization: Attempt,
    attempts: readonly Attempt[],
    captured: boolean,
    report: LateSuccessReport,
    cause: SettlementCause,
    now: Date,
  ): Promise<LateSuccessEffect> {
    const effect = lateSuccessEffect(authorization, attempts, captured);
    if (effect === 'void' || effect === 'refund')
      await this.reverseLateSuccess(tx, authorization, effect, report, cause, now);
    return effect;
  }

  /** What follows a compensating attempt's end (call it after every settle of a compensating attempt). */
  async afterSettle(tx: Tx, ended: Attempt, cause: SettlementCause, now: Date): Promise<void> {
    if (!ended.compensating || !ended.compensates_attempt_id) return;
    const attempts = await this.attempts.lockForIntent(tx, ended.intent_id);
    const authorization = attempts.find((a) => a.id === ended.compensates_attempt_id);
    if (!authorization) return;
    const followUp = compensationFollowUp(
      ended,
      authorization,
      isCapturedRefusal(ended, authorization, ended.psp_reference === null),
    );
    switch (followUp.kind) {
      case 'fail_authorization':
        await this.failUnconfirmed(tx, authorization, cause, now);
        return;
      case 'refund_now': {
        const awaiting = await this.attempts.update(
          tx,
          authorization,
          { resolution: 'awaiting_authorization' },
          now,
        );
        const report = {
          pspReference: authorization.psp_reference as string,
          amount: authorization.amount,
          amountCaptured: authorization.amount,
        };
        await this.reverseLateSuccess(tx, awaiting, 'refund', report, cause, now);
        return;
      }
      case 'await_authorization':
        this.logger.warn(
          `${authorization.id}: ${authorization.provider} refused the deadline cancel (captured): refunding once it reports the authorization`,
        );
        await this.attempts.update(tx, authorization, { resolution: 'awaiting_authorization' }, now);
        return;
      case 'reversed': {
        const touched = await this.attempts.update(tx, authorization, {}, now);
        const reversal = ended.operation === 'refund' ? 'refund' : 'void';
        const event = paymentResultEvent(
          'payment.late_success_reversed',
          { ...touched, status: 'succeeded' },
          touched.amount,
          touched.version,
          cause,
          now,
          {
            amount_captured: reversal === 'refund' ? ended.amount : 0,
            reversal,
            reversal_attempt_id: ended.id,
          },
        );
        await this.outbox.append(tx, [{ topic: TOPICS.orchestrator, event, key: touched.intent_id }]);
        if (followUp.andFail) await this.failUnconfirmed(tx, touched, cause, now);
        return;
      }
      case 'stuck':
        paymentAttemptsTotal.inc({ operation: ended.operation, outcome: 'compensation_stuck' });
        this.logger.error(
          `compensating ${ended.operation} ${ended.id} of ${authorization.id} was refused (${ended.code}: ${ended.message}): the customer's money is still held or charged — operators must act`,
        );
        return;
      case 'none':
        return;
    }
  }

  /** PayFlow's own failure, never a card decline: the PSP never confirmed, and any hold was released. */
  private async failUnconfirmed(
    tx: Tx,
    authorization: Attempt,
    cause: SettlementCause,
    now: Date,
  ): Promise<void> {
    await this.results.settle(
      tx,
      authorization,
      {
        status: 'failed',
        code: 'payment_outcome_unknown',
        message: `${authorization.provider} never confirmed the authorization; any hold it placed was released. The payment can be retried.`,
        errorClass: null,
      },
      cause,
      now,
    );
  }

  private async reverseLateSuccess(
    tx: Tx,
    authorization: Attempt,
    reversal: 'void' | 'refund',
    report: LateSuccessReport,
    cause: SettlementCause,
    now: Date,
  ): Promise<void> {
    const compensation: Compensation = reversal === 'void' ? 'late_success_void' : 'late_success_refund';
    const amount =
      reversal === 'refund' ? report.amountCaptured || authorization.amount : authorization.amount;
    const undo = await this.insertCompensating(
      tx,
      authorization,
      compensation,
      report.pspReference,
      amount,
      cause.eventId ?? authorization.request_event_id,
      now,
    );
    if (!undo) return; // one compensation per authorization: it exists already
    paymentAttemptsTotal.inc({
      operation: 'authorize',
      outcome: reversal === 'void' ? 'voided' : 'refunded_late',
    });
    this.logger.warn(
      `${authorization.id}: ${authorization.provider} reports a late success (${report.pspReference}): ${reversal} ${undo.id}`,
    );
    const touched = await this.attempts.update(
      tx,
      authorization,
      { psp_reference: authorization.psp_reference ?? report.pspReference },
      now,
    );
    const event = paymentResultEvent(
      'payment.late_success',
      { ...touched, status: 'succeeded' },
      report.amount || authorization.amount,
      touched.version,
      cause,
      now,
      {
        amount_captured: reversal === 'refund' ? amount : 0,
        reversal,
        reversal_attempt_id: undo.id,
      },
    );
    await this.outbox.append(tx, [{ topic: TOPICS.orchestrator, event, key: touched.intent_id }]);
  }

  private insertCompensating(
    tx: Tx,
    authorization: Attempt,
    compensation: Compensation,
    pspReference: string | null,
    amount: number,
    causeEventId: string,
    now: Date,
  ): Promise<Attempt | null> {
    const operation = compensation === 'late_success_refund' ? 'refund' : 'cancel';
    const requestRef =
      compensation === 'deadline_cancel'
        ? requestRefs.deadlineCancel(authorization.id)
        : compensation === 'late_success_void'
          ? requestRefs.compensatingVoid(authorization.id)
          : requestRefs.compensatingRefund(authorization.id);
    return this.attempts.insert(
      tx,
      {
        intent_id: authorization.intent_id,
        merchant_id: authorization.merchant_id,
        operation,
        request_ref: requestRef,
        route_index: 0,
        provider: authorization.provider,
        route: authorization.provider ? [authorization.provider] : [],
        routing_reason: `${compensation} of authorization attempt ${authorization.id}`,
        amount,
        currency: authorization.currency,
        payment_method: null,
        capture_method: null,
        refund_id: null,
        reason: `payflow_${compensation}`,
        psp_reference: pspReference,
        compensating: true,
        compensates_attempt_id: authorization.id,
        compensation,
        request_event_id: causeEventId,
        correlation_id: authorization.correlation_id,
      },
      now,
    );
  }
}
