import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { inTransaction, type Tx } from '@payflow/platform/database';
import type { PspConnectors, PspResult } from '@payflow/psp';
import { DataSource } from 'typeorm';
import { isSettled, type Attempt } from '../attempts/attempt';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { scheduleCompensatingVoid } from '../attempts/compensating-void';
import { ProviderBreakers } from '../breakers/provider-breakers';
import { ErrorRateWindow } from '../metrics/error-rate-window';
import {
  paymentAttemptsTotal,
  paymentAuthorizeLatencyMs,
  pspCallsTotal,
  pspErrorRate,
} from '../metrics/orchestrator-metrics';
import { NotificationsService } from '../notifications/notifications.service';
import { OrchestratorConfig } from '../orchestrator.config';
import { PSP_CONNECTORS } from '../psp/psp.module';
import { AttemptResults } from '../results/attempt-results.service';
import type { Settlement, SettlementCause } from '../results/settlement';
import { Router } from '../routing/router.service';
import { classifyFailure, mayHaveExecuted, nextStep, type CallFailure } from './next-step';
import { callPsp } from './psp-call';
import type { RetryLimits } from './retry-policy';

type CallOutcome = { result: PspResult } | { failure: CallFailure };

/**
 * Steps (2) and (3) of DESIGN.md's orchestration for one claimed attempt: the PSP call, outside any
 * transaction and through the provider's circuit breaker; then, in a second transaction, the
 * outcome — settled with its result event, accepted (awaiting the webhook), rescheduled, failed over
 * or unknown. The lease taken at claim fences the second transaction: if this worker was too slow
 * and another claimed the attempt again, this outcome is dropped (the other call replays the key).
 */
@Injectable()
export class AttemptExecutor {
  private readonly logger = new Logger(AttemptExecutor.name);
  private readonly limits: RetryLimits;
  private readonly errorRates = new Map<Provider, ErrorRateWindow>();

  constructor(
    @Inject(PSP_CONNECTORS) private readonly connectors: PspConnectors,
    private readonly dataSource: DataSource,
    private readonly attempts: AttemptsRepository,
    private readonly results: AttemptResults,
    private readonly notifications: NotificationsService,
    private readonly breakers: ProviderBreakers,
    private readonly router: Router,
    private readonly clock: Clock,
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

  async run(attempt: Attempt, leaseId: string): Promise<void> {
    const provider = attempt.provider;
    if (!provider) return; // recorded failed at once; never claimable (kept for the type's sake)
    if (this.pastUnknownDeadline(attempt)) {
      await inTransaction(this.dataSource, (tx) => this.expireUnknown(tx, attempt, leaseId));
      return;
    }
    const outcome = await this.call(provider, attempt);
    await inTransaction(this.dataSource, (tx) => this.record(tx, attempt, leaseId, outcome));
  }

  /** The PSP call: no transaction is open here. */
  private async call(provider: Provider, attempt: Attempt): Promise<CallOutcome> {
    const breaker = this.breakers.of(provider);
    const startedAt = performance.now();
    let outcome: CallOutcome;
    try {
      outcome = { result: await breaker.execute(() => callPsp(this.connectors[provider], attempt)) };
    } catch (error) {
      outcome = { failure: classifyFailure(error, provider) };
    }
    const label = 'result' in outcome ? outcome.result.outcome : outcome.failure.errorClass;
    pspCallsTotal.inc({ provider, operation: attempt.operation, outcome: label });
    if (label !== 'breaker_open') {
      const window =
        this.errorRates.get(provider) ?? new ErrorRateWindow(this.config.PSP_ERROR_RATE_WINDOW_MS);
      this.errorRates.set(provider, window);
      window.record(Date.now(), label === 'not_executed' || label === 'indeterminate');
      pspErrorRate.set({ provider }, window.rate(Date.now()));
      if (attempt.operation === 'authorize')
        paymentAuthorizeLatencyMs.observe({ provider, outcome: label }, performance.now() - startedAt);
    }
    return outcome;
  }

  /** The second transaction: what the call's outcome means for the attempt. */
  private async record(tx: Tx, claimed: Attempt, leaseId: string, outcome: CallOutcome): Promise<void> {
    const attempt = await this.lockCurrent(tx, claimed);
    if (!attempt || attempt.lease_id !== leaseId || isSettled(attempt.status)) {
      // Settled meanwhile by a webhook, or claimed again after our lease ran out: not ours to record.
      return;
    }
    const now = this.clock.now();
    const cause: SettlementCause = {
      eventId: attempt.request_event_id,
      correlationId: attempt.correlation_id,
    };
    let changed: Attempt;
    if ('result' in outcome) changed = await this.recordAnswer(tx, attempt, outcome.result, cause, now);
    else changed = await this.recordFailure(tx, attempt, outcome.failure, now);
    await this.notifications.applyPending(tx, changed.intent_id, [
      changed.psp_reference,
      changed.operation_psp_reference,
    ]);
  }

  private async recordAnswer(
    tx: Tx,
    attempt: Attempt,
    result: PspResult,
    cause: SettlementCause,
    now: Date,
  ): Promise<Attempt> {
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
        // Accepted; the outcome comes by webhook (Adyen modifications). Nothing left to call.
        paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'awaiting_notification' });
        return this.attempts.update(
          tx,
          attempt,
          {
            status: 'pending',
            maybe_executed: true,
            psp_reference: pspReference,
            operation_psp_reference: operationPspReference,
            awaiting_notification_since: now,
            unknown_since: null,
            next_attempt_at: null,
            lease_id: null,
          },
          now,
        );
    }
  }

  private async recordFailure(tx: Tx, attempt: Attempt, failure: CallFailure, now: Date): Promise<Attempt> {
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

  /**
   * Locks every attempt of the intent in the one fixed order notifications use too (oldest first), so
   * an outcome and a webhook about the same payment never wait on each other in a cycle.
   */
  private async lockCurrent(tx: Tx, claimed: Attempt): Promise<Attempt | null> {
    const attempts = await this.attempts.lockForIntent(tx, claimed.intent_id);
    return attempts.find((a) => a.id === claimed.id) ?? null;
  }

  private pastUnknownDeadline(attempt: Attempt): boolean {
    if (attempt.status !== 'unknown' || !attempt.unknown_since) return false;
    if (attempt.operation !== 'authorize' && attempt.operation !== 'cancel') return false;
    return this.clock.nowMs() - attempt.unknown_since.getTime() >= this.config.UNKNOWN_OUTCOME_DEADLINE_MS;
  }

  /**
   * An authorization (or void) whose outcome stayed unknown past UNKNOWN_OUTCOME_DEADLINE_MS is failed
   * — after scheduling a void by reference, so a hold that did happen is released. Captures and
   * refunds never get here: failing them could hide money that moved, so they stay unknown and keep
   * being replayed until a webhook or a replay answers (docs/orchestrator.md).
   */
  private async expireUnknown(tx: Tx, claimed: Attempt, leaseId: string): Promise<void> {
    const attempt = await this.lockCurrent(tx, claimed);
    if (!attempt || attempt.lease_id !== leaseId || attempt.status !== 'unknown') return;
    const now = this.clock.now();
    if (attempt.operation === 'authorize' && attempt.psp_reference) {
      await scheduleCompensatingVoid(
        this.attempts,
        tx,
        attempt,
        attempt.psp_reference,
        attempt.request_event_id,
        now,
      );
      paymentAttemptsTotal.inc({ operation: 'authorize', outcome: 'voided' });
    }
    this.logger.warn(
      `${attempt.id} (${attempt.operation}) outcome still unknown past the deadline: failing it`,
    );
    const settled = await this.results.settle(
      tx,
      attempt,
      {
        status: 'failed',
        code: 'psp_outcome_unknown',
        message: `${attempt.provider} did not confirm the ${attempt.operation} in time; it was voided`,
        errorClass: 'indeterminate',
      },
      { eventId: attempt.request_event_id, correlationId: attempt.correlation_id },
      now,
    );
    await this.notifications.applyPending(tx, settled.intent_id, [settled.psp_reference]);
  }
}
