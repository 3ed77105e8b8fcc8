import { Injectable, Logger } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import type { Tx } from '@payflow/platform/database';
import type { PspResult } from '@payflow/psp';
import type { Attempt } from '../attempts/attempt';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { ProviderBreakers } from '../breakers/provider-breakers';
import { paymentAttemptsTotal } from '../metrics/orchestrator-metrics';
import { OrchestratorConfig } from '../orchestrator.config';
import { AttemptResults } from '../results/attempt-results.service';
import type { Settlement, SettlementCause } from '../results/settlement';
import { Router } from '../routing/router.service';
import { mayHaveExecuted, nextStep, type CallFailure } from './next-step';
import type { RetryLimits } from './retry-policy';

/**
 * What a PSP call's answer or failure means for its attempt, in the worker's second transaction
 * (the caller holds the intent's attempts locked and has checked the lease): settled with its
 * result, accepted (awaiting the webhook, with its next check scheduled), rescheduled, failed over,
 * or unknown.
 */
@Injectable()
export class OutcomeRecorder {
  private readonly logger = new Logger(OutcomeRecorder.name);
  private readonly limits: RetryLimits;

  constructor(
    private readonly attempts: AttemptsRepository,
    private readonly results: AttemptResults,
    private readonly breakers: ProviderBreakers,
    private readonly router: Router,
    private readonly config: OrchestratorConfig,
  ) {
    this.limits = {
      baseDelayMs: config.RETRY_BASE_DELAY_MS,
      maxDelayMs: config.RETRY_MAX_DELAY_MS,
      notExecutedMaxTries: config.NOT_EXECUTED_MAX_TRIES,
      indeterminateMaxTries: config.INDETERMINATE_MAX_TRIES,
      unknownRetryIntervalMs: config.UNKNOWN_RETRY_INTERVAL_MS,
    };
  }

  async recordAnswer(
    tx: Tx,
    attempt: Attempt,
    result: PspResult,
    canRetrieve: boolean,
    now: Date,
  ): Promise<Attempt> {
    const cause: SettlementCause = {
      eventId: attempt.request_event_id,
      correlationId: attempt.correlation_id,
    };
    const pspReference =
      attempt.operation === 'authorize'
        ? result.paymentPspReference || result.pspReference
        : attempt.psp_reference;
    const operationPspReference =
      result.pspReference && result.pspReference !== pspReference ? result.pspReference : null;
    switch (result.outcome) {
      case 'succeeded': {
        const settlement: Settlement = {
          status: 'succeeded',
          pspReference,
          operationPspReference,
          amount: result.amount,
          amountCaptured: result.amountCaptured ?? null,
        };
        return this.results.settle(tx, attempt, settlement, cause, now);
      }
      case 'declined':
        return this.results.settle(
          tx,
          attempt,
          {
            status: 'declined',
            code: result.code,
            declineCode: result.declineCode ?? null,
            message: result.message,
            network: result.network ?? null,
            adviceCode: result.adviceCode ?? null,
            pspReference,
            operationPspReference,
          },
          cause,
          now,
        );
      case 'pending':
        // Accepted; the outcome comes by webhook. Its next check: a retrieve where the PSP can be
        // read (Stripe), else the notification deadline (overdue), or the authorization deadline.
        paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'awaiting_notification' });
        return this.attempts.update(
          tx,
          attempt,
          {
            status: 'pending',
            maybe_executed: true,
            psp_reference: pspReference,
            operation_psp_reference: operationPspReference,
            // A replay answered `pending` again keeps the first acceptance: the deadline counts from it.
            awaiting_notification_since: attempt.awaiting_notification_since ?? now,
            unknown_since: null,
            next_attempt_at: new Date(now.getTime() + this.firstCheckAfterMs(attempt, canRetrieve)),
            lease_id: null,
          },
          now,
        );
    }
  }

  /** When an accepted attempt is looked at first (docs/orchestrator.md, "Waiting attempts"). */
  firstCheckAfterMs(attempt: Pick<Attempt, 'operation'>, canRetrieve: boolean): number {
    if (canRetrieve) return this.config.PSP_RECONCILE_AFTER_MS;
    if (attempt.operation === 'authorize') {
      return Math.min(this.config.UNKNOWN_OUTCOME_DEADLINE_MS, this.config.PSP_NOTIFICATION_DEADLINE_MS);
    }
    return this.config.PSP_NOTIFICATION_DEADLINE_MS;
  }

  async recordFailure(tx: Tx, attempt: Attempt, failure: CallFailure, now: Date): Promise<Attempt> {
    const provider = attempt.provider as Provider;
    const maybeExecuted = mayHaveExecuted(attempt.maybe_executed, failure);
    const failoverTarget =
      attempt.operation === 'authorize' && !maybeExecuted
        ? this.router.failoverTarget(
            attempt.route,
            await this.attempts.providersTried(tx, attempt.request_ref),
          )
        : null;
    const step = nextStep({
      operation: attempt.operation,
      failure,
      tryNo: attempt.try_no,
      maybeExecuted: attempt.maybe_executed,
      unknown: attempt.status === 'unknown',
      failoverTarget,
      breakerWaitMs: this.breakers.of(provider).reopensInMs(),
      limits: this.limits,
    });
    const errorFields = {
      error_class: failure.errorClass,
      code: failure.code,
      message: failure.message,
      maybe_executed: maybeExecuted,
    };
    const cause: SettlementCause = {
      eventId: attempt.request_event_id,
      correlationId: attempt.correlation_id,
    };
    switch (step.kind) {
      case 'fail':
        this.logger.warn(
          `${attempt.id} (${attempt.operation} at ${provider}) failed: ${failure.code}: ${failure.message}`,
        );
        return this.results.settle(
          tx,
          attempt,
          { status: 'failed', code: step.code, message: step.message, errorClass: failure.errorClass },
          cause,
          now,
        );
      case 'retry':
        paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'retried' });
        return this.attempts.update(
          tx,
          attempt,
          { ...errorFields, next_attempt_at: new Date(now.getTime() + step.delayMs), lease_id: null },
          now,
        );
      case 'unknown':
        if (attempt.status !== 'unknown') {
          paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'unknown' });
          this.logger.warn(
            `${attempt.id} (${attempt.operation} at ${provider}) outcome unknown after ${attempt.try_no} calls: ${failure.message}`,
          );
        }
        return this.attempts.update(
          tx,
          attempt,
          {
            ...errorFields,
            status: 'unknown',
            unknown_since: attempt.unknown_since ?? now,
            next_attempt_at: new Date(now.getTime() + step.delayMs),
            lease_id: null,
          },
          now,
        );
      case 'failover': {
        paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'failover' });
        this.logger.warn(
          `${attempt.id} was not executed by ${provider} (${failure.code}); failing over to ${step.provider}`,
        );
        // Superseded, not a result: the intent hears only about the attempt that ends the request.
        await this.attempts.update(
          tx,
          attempt,
          { ...errorFields, status: 'failed', next_attempt_at: null, lease_id: null, settled_at: now },
          now,
        );
        const next = await this.attempts.insert(
          tx,
          {
            intent_id: attempt.intent_id,
            merchant_id: attempt.merchant_id,
            operation: attempt.operation,
            request_ref: attempt.request_ref,
            route_index: attempt.route_index + 1,
            provider: step.provider,
            route: attempt.route,
            routing_reason: `failover from ${provider} (${failure.code})`,
            amount: attempt.amount,
            currency: attempt.currency,
            payment_method: attempt.payment_method,
            capture_method: attempt.capture_method,
            off_session: attempt.off_session,
            refund_id: attempt.refund_id,
            reason: attempt.reason,
            psp_reference: null,
            compensating: attempt.compensating,
            request_event_id: attempt.request_event_id,
            correlation_id: attempt.correlation_id,
          },
          now,
        );
        return next ?? attempt;
      }
    }
  }
}
