import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Provider } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { inTransaction, type Tx } from '@payflow/platform/database';
import type { PspConnector, PspConnectors, PspRefundSnapshot, PspResult } from '@payflow/psp';
import { DataSource } from 'typeorm';
import { isSettled, type Attempt } from '../attempts/attempt';
import { AttemptsRepository } from '../attempts/attempts.repository';
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
import { Compensations } from '../results/compensations.service';
import { claimAction, withinReplayWindow, type ClaimContext } from './claim-action';
import { classifyFailure, type CallFailure } from './next-step';
import { OutcomeRecorder } from './outcome-recorder';
import { callPsp } from './psp-call';
import { reconcilePayment, reconcileRefund, type Reconciliation } from './reconcile';
import { refundWatchStep } from './refund-watch';
import { backoffDelayMs } from './retry-policy';

type CallOutcome = { result: PspResult } | { failure: CallFailure };

/**
 * Steps (2) and (3) of DESIGN.md's orchestration for one claimed attempt. What the claim does is
 * decided by `claimAction` from the attempt's state: the PSP call (for Stripe authorizations, the
 * unconfirmed payment is created and its id recorded first), a retrieve instead of a call
 * (reconciliation), the cancel of an authorization unresolved at its deadline, or marking an
 * attempt overdue. PSP calls run outside any transaction and through the provider's breaker; every
 * second transaction is fenced by the claim's lease (a worker too slow for its lease drops its
 * outcome; the next claim replays the key or reads the PSP again).
 */
@Injectable()
export class AttemptExecutor {
  private readonly logger = new Logger(AttemptExecutor.name);
  private readonly errorRates = new Map<Provider, ErrorRateWindow>();

  constructor(
    @Inject(PSP_CONNECTORS) private readonly connectors: PspConnectors,
    private readonly dataSource: DataSource,
    private readonly attempts: AttemptsRepository,
    private readonly results: AttemptResults,
    private readonly compensations: Compensations,
    private readonly outcomes: OutcomeRecorder,
    private readonly notifications: NotificationsService,
    private readonly breakers: ProviderBreakers,
    private readonly clock: Clock,
    private readonly config: OrchestratorConfig,
  ) {}

  async run(attempt: Attempt, leaseId: string): Promise<void> {
    const provider = attempt.provider;
    if (!provider) return; // recorded failed at once; never claimable (kept for the type's sake)
    const action = claimAction(attempt, this.claimContext(this.connectors[provider]));
    switch (action.kind) {
      case 'deadline_cancel':
        await this.fenced(attempt, leaseId, (tx, current, now) =>
          this.compensations.startDeadlineCancel(tx, current, now),
        );
        return;
      case 'overdue':
        await this.fenced(attempt, leaseId, (tx, current, now) => this.markOverdue(tx, current, now));
        return;
      case 'retrieve':
        await this.reconcile(provider, attempt, leaseId, action.what);
        return;
      case 'prepare':
        await this.prepareAndCall(provider, attempt, leaseId);
        return;
      case 'call':
        await this.callAndRecord(provider, attempt, leaseId);
        return;
    }
  }

  private claimContext(connector: PspConnector): ClaimContext {
    return {
      nowMs: this.clock.nowMs(),
      canPrepare: typeof connector.prepareAuthorization === 'function',
      canRetrieve: connector.capabilities.retrieve,
      canRetrieveRefund: typeof connector.retrieveRefund === 'function',
      canFindRefund: typeof connector.findRefund === 'function',
      unknownOutcomeDeadlineMs: this.config.UNKNOWN_OUTCOME_DEADLINE_MS,
      replayWindowMs: this.config.PSP_IDEMPOTENCY_REPLAY_WINDOW_MS,
    };
  }

  /**
   * Stripe: the payment is created unconfirmed (no money moves) and its id recorded — fenced by the
   * lease, which is renewed for the confirm — before `authorize` confirms it with the attempt's key.
   * So every Stripe authorization has an id to retrieve. A failed prepare moved no money: it is
   * surely not executed (failover allowed unless an earlier call may have run).
   */
  private async prepareAndCall(provider: Provider, attempt: Attempt, leaseId: string): Promise<void> {
    const connector = this.connectors[provider];
    let pspReference: string;
    try {
      const prepared = await this.breakers
        .of(provider)
        .execute(() => connector.prepareAuthorization!(callRequest(attempt)));
      pspReference = prepared.pspReference;
    } catch (error) {
      const failure = classifyFailure(error, provider);
      const surelyNotExecuted: CallFailure =
        failure.errorClass === 'indeterminate' ? { ...failure, errorClass: 'not_executed' } : failure;
      pspCallsTotal.inc({ provider, operation: 'prepare', outcome: surelyNotExecuted.errorClass });
      await this.fenced(attempt, leaseId, (tx, current, now) =>
        this.outcomes.recordFailure(tx, current, surelyNotExecuted, now),
      );
      return;
    }
    pspCallsTotal.inc({ provider, operation: 'prepare', outcome: 'succeeded' });
    const leaseMs = this.config.PSP_TIMEOUT_MS + this.config.WORKER_LEASE_MARGIN_MS;
    const prepared = await this.fenced(attempt, leaseId, (tx, current, now) =>
      this.attempts.update(
        tx,
        current,
        { psp_reference: pspReference, next_attempt_at: new Date(now.getTime() + leaseMs) },
        now,
      ),
    );
    if (prepared) await this.callAndRecord(provider, prepared, leaseId);
  }

  private async callAndRecord(provider: Provider, attempt: Attempt, leaseId: string): Promise<void> {
    const calledAt = this.clock.now();
    const outcome = await this.call(provider, attempt);
    const canRetrieve = this.connectors[provider].capabilities.retrieve;
    await this.fenced(attempt, leaseId, async (tx, current, now) => {
      // The first money call under the key: no same-key replay past the window after it.
      const called = current.first_called_at
        ? current
        : await this.attempts.update(tx, current, { first_called_at: calledAt }, now);
      return 'result' in outcome
        ? this.outcomes.recordAnswer(tx, called, outcome.result, canRetrieve, now)
        : this.outcomes.recordFailure(tx, called, outcome.failure, now);
    });
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

  /**
   * Reconciliation (PSPs with a read call): the attempt's state at the PSP decides it — settled,
   * replayed (it never happened there), or read again later with backoff. A failed read says
   * nothing and is simply tried again later.
   */
  private async reconcile(
    provider: Provider,
    attempt: Attempt,
    leaseId: string,
    what: 'payment' | 'refund',
  ): Promise<void> {
    let reconciliation: Reconciliation;
    let refundReference: string | undefined;
    try {
      ({ reconciliation, refundReference } = await this.read(this.connectors[provider], attempt, what));
      pspCallsTotal.inc({ provider, operation: `retrieve_${what}`, outcome: 'succeeded' });
    } catch (error) {
      const failure = classifyFailure(error, provider);
      pspCallsTotal.inc({ provider, operation: `retrieve_${what}`, outcome: failure.errorClass });
      this.logger.warn(
        `${attempt.id}: reading its ${what} at ${provider} failed (${failure.code}): reading again later`,
      );
      reconciliation = { kind: 'pending' };
    }
    paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: `reconciled_${reconciliation.kind}` });
    switch (reconciliation.kind) {
      case 'replay':
        await this.callAndRecord(provider, attempt, leaseId);
        return;
      case 'pending':
        await this.fenced(attempt, leaseId, (tx, current, now) =>
          this.attempts.update(
            tx,
            current,
            {
              // A refund found by its attempt: read by its own id from now on.
              ...(refundReference && !current.operation_psp_reference
                ? { operation_psp_reference: refundReference }
                : {}),
              reconcile_tries: current.reconcile_tries + 1,
              next_attempt_at: new Date(now.getTime() + this.reconcileDelayMs(current.reconcile_tries + 1)),
              lease_id: null,
            },
            now,
          ),
        );
        return;
      case 'settle':
        // A compensating attempt's follow-up runs in `fenced`.
        await this.fenced(attempt, leaseId, (tx, current, now) =>
          this.results.settle(
            tx,
            current,
            reconciliation.settlement,
            { eventId: current.request_event_id, correlationId: current.correlation_id },
            now,
          ),
        );
        return;
    }
  }

  /**
   * A succeeded refund read again (`verify_at`, claimed by the worker): reversed if the PSP now says
   * it failed, else read again later, until PSP_REFUND_WATCH_MS after its success. A read that fails
   * says nothing. Nothing happens if it was reversed or changed meanwhile (a webhook got there first).
   */
  async verifyRefund(claimed: Attempt): Promise<void> {
    const provider = claimed.provider as Provider;
    let status: PspRefundSnapshot['status'] | null = null;
    try {
      status = (
        await this.connectors[provider].retrieveRefund!({
          pspReference: claimed.operation_psp_reference as string,
          intentId: claimed.intent_id,
        })
      ).status;
      pspCallsTotal.inc({ provider, operation: 'retrieve_refund', outcome: 'succeeded' });
    } catch (error) {
      pspCallsTotal.inc({
        provider,
        operation: 'retrieve_refund',
        outcome: classifyFailure(error, provider).errorClass,
      });
    }
    await inTransaction(this.dataSource, async (tx) => {
      const attempts = await this.attempts.lockForIntent(tx, claimed.intent_id);
      const current = attempts.find((a) => a.id === claimed.id);
      if (!current || !current.verify_at) return;
      const now = this.clock.now();
      if (current.status !== 'succeeded' || current.reversed_at) {
        await this.attempts.update(tx, current, { verify_at: null }, now);
        return;
      }
      const step = refundWatchStep({
        status,
        settledAtMs: (current.settled_at ?? now).getTime(),
        nowMs: now.getTime(),
        tries: current.reconcile_tries,
        watchForMs: this.config.PSP_REFUND_WATCH_MS,
        baseDelayMs: this.config.PSP_RECONCILE_AFTER_MS,
        maxDelayMs: this.config.PSP_RECONCILE_MAX_INTERVAL_MS,
      });
      switch (step.kind) {
        case 'reverse': {
          const cause = { eventId: current.request_event_id, correlationId: current.correlation_id };
          await this.results.reverse(
            tx,
            current,
            false,
            `the refund is ${status} at ${provider}`,
            cause,
            now,
          );
          break;
        }
        case 'again':
          await this.attempts.update(
            tx,
            current,
            {
              verify_at: new Date(now.getTime() + step.delayMs),
              reconcile_tries: current.reconcile_tries + 1,
            },
            now,
          );
          break;
        case 'done':
          await this.attempts.update(tx, current, { verify_at: null }, now);
          break;
      }
      await this.notifications.applyPending(tx, current.intent_id, [
        current.psp_reference,
        current.operation_psp_reference,
      ]);
    });
  }

  /**
   * Reads the attempt's payment (`retrieve`) or refund (`retrieveRefund` by its id; `findRefund` by
   * the attempt when its id was never learnt) and decides what it means.
   */
  private async read(
    connector: PspConnector,
    attempt: Attempt,
    what: 'payment' | 'refund',
  ): Promise<{ reconciliation: Reconciliation; refundReference?: string }> {
    if (what === 'payment') {
      const snapshot = await connector.retrieve({
        pspReference: attempt.psp_reference as string,
        intentId: attempt.intent_id,
      });
      const inWindow = withinReplayWindow(
        attempt,
        this.clock.nowMs(),
        this.config.PSP_IDEMPOTENCY_REPLAY_WINDOW_MS,
      );
      return { reconciliation: reconcilePayment(attempt, snapshot, inWindow) };
    }
    const snapshot = attempt.operation_psp_reference
      ? await connector.retrieveRefund!({
          pspReference: attempt.operation_psp_reference,
          intentId: attempt.intent_id,
        })
      : await connector.findRefund!({
          paymentPspReference: attempt.psp_reference as string,
          attemptId: attempt.id,
          intentId: attempt.intent_id,
        });
    return { reconciliation: reconcileRefund(snapshot), refundReference: snapshot?.pspReference };
  }

  /** The n-th read of a waiting attempt: PSP_RECONCILE_AFTER_MS doubling (with jitter), capped at PSP_RECONCILE_MAX_INTERVAL_MS. */
  private reconcileDelayMs(tries: number): number {
    return backoffDelayMs(tries, {
      baseDelayMs: this.config.PSP_RECONCILE_AFTER_MS,
      maxDelayMs: this.config.PSP_RECONCILE_MAX_INTERVAL_MS,
    });
  }

  /**
   * Nothing may be sent and nothing can be read: pending until the PSP's notification; counted by
   * the overdue gauge. An authorization is looked at again at its deadline (then cancelled by reference).
   */
  private async markOverdue(tx: Tx, attempt: Attempt, now: Date): Promise<Attempt> {
    if (!attempt.overdue_since) {
      paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'overdue' });
      this.logger.warn(
        `${attempt.id} (${attempt.operation} at ${attempt.provider}) has no word from the PSP past its deadline: overdue, waiting for its notification`,
      );
    }
    const since = attempt.unknown_since ?? attempt.awaiting_notification_since;
    const deadlineAt =
      attempt.operation === 'authorize' && attempt.resolution === null && since
        ? new Date(Math.max(now.getTime(), since.getTime() + this.config.UNKNOWN_OUTCOME_DEADLINE_MS))
        : null;
    return this.attempts.update(
      tx,
      attempt,
      { overdue_since: attempt.overdue_since ?? now, next_attempt_at: deadlineAt, lease_id: null },
      now,
    );
  }

  /**
   * A second transaction fenced by the claim's lease: every attempt of the intent is locked in the
   * one fixed order notifications use too (oldest first), so an outcome and a webhook about the same
   * payment never wait on each other in a cycle; nothing happens if the attempt was settled meanwhile
   * (by a webhook) or claimed again after our lease ran out. Pending notifications of the intent are
   * then retried. Returns the changed attempt, or null when it was not ours to change.
   */
  private fenced(
    claimed: Attempt,
    leaseId: string,
    change: (tx: Tx, current: Attempt, now: Date) => Promise<Attempt>,
  ): Promise<Attempt | null> {
    return inTransaction(this.dataSource, async (tx) => {
      const attempts = await this.attempts.lockForIntent(tx, claimed.intent_id);
      const current = attempts.find((a) => a.id === claimed.id);
      if (!current || current.lease_id !== leaseId || isSettled(current.status)) return null;
      const changed = await change(tx, current, this.clock.now());
      if (changed.compensating)
        await this.compensations.afterSettle(
          tx,
          changed,
          { eventId: changed.request_event_id, correlationId: changed.correlation_id },
          this.clock.now(),
        );
      await this.notifications.applyPending(tx, changed.intent_id, [
        changed.psp_reference,
        changed.operation_psp_reference,
      ]);
      return changed;
    });
  }
}

/** The authorization request a prepare step sends (the same fields the confirm refers to). */
function callRequest(attempt: Attempt) {
  return {
    intentId: attempt.intent_id,
    attemptId: attempt.id,
    idempotencyKey: attempt.idempotency_key,
    amount: attempt.amount,
    currency: attempt.currency,
    paymentMethod: attempt.payment_method ?? '',
    captureMethod: attempt.capture_method ?? 'manual',
    ...(attempt.off_session ? { offSession: true } : {}),
  };
}
