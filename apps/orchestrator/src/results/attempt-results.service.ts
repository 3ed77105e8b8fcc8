import { Inject, Injectable, Logger } from '@nestjs/common';
import { TOPICS } from '@payflow/contracts';
import type { PspConnectors } from '@payflow/psp';
import type { Tx } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';
import type { Attempt } from '../attempts/attempt';
import { requestRefs } from '../attempts/attempt-ids';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { paymentAttemptsTotal } from '../metrics/orchestrator-metrics';
import { OrchestratorConfig } from '../orchestrator.config';
import { PSP_CONNECTORS } from '../psp/psp.module';
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
    @Inject(PSP_CONNECTORS) private readonly connectors: PspConnectors,
    private readonly config: OrchestratorConfig,
  ) {}

  /**
   * A succeeded refund is read again later where the PSP allows it (Stripe `retrieveRefund`): it may
   * still fail, and the webhook saying so may be lost (docs/orchestrator.md, "Watching succeeded refunds").
   */
  private watchFrom(settled: Attempt, now: Date): Date | null {
    const readable =
      settled.provider && typeof this.connectors[settled.provider].retrieveRefund === 'function';
    if (settled.operation !== 'refund' || settled.status !== 'succeeded' || !readable) return null;
    if (!settled.operation_psp_reference || this.config.PSP_REFUND_WATCH_MS === 0) return null;
    return new Date(now.getTime() + this.config.PSP_RECONCILE_AFTER_MS);
  }

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
    const watchFrom = this.watchFrom(settled, now);
    if (watchFrom) settled = await this.attempts.update(tx, settled, { verify_at: watchFrom }, now);
    if (settled.compensating) {
      // Nobody asked for it: its follow-up (Compensations.afterSettle) is what the intent hears.
      this.logger.log(
        `compensating ${settled.operation} ${settled.id} of ${settled.intent_id} ${settlement.status}`,
      );
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

  /**
   * A capture or refund the PSP had reported succeeded failed after all (Adyen CAPTURE_FAILED,
   * REFUND_FAILED, REFUNDED_REVERSED; a Stripe refund turning failed): the attempt says so
   * (`failed`, code `capture_reversed` / `refund_reversed`, `reversed_at`; an automatic-capture
   * authorization stays `succeeded` — the authorization did happen — with nothing captured) and
   * `payment.capture_reversed` / `payment.refund_reversed` tells the intent. Nothing captures again.
   */
  async reverse(
    tx: Tx,
    attempt: Attempt,
    autoCapture: boolean,
    pspMessage: string | null,
    cause: SettlementCause,
    now: Date,
  ): Promise<Attempt> {
    const refund = attempt.operation === 'refund';
    const code = refund ? 'refund_reversed' : 'capture_reversed';
    const message = `${attempt.provider} reported the ${refund ? 'refund' : 'capture'} failed after reporting it succeeded${pspMessage ? `: ${pspMessage}` : ''}`;
    const amount = autoCapture ? (attempt.amount_captured ?? attempt.amount) : attempt.amount;
    const reversed = await this.attempts.update(
      tx,
      attempt,
      autoCapture
        ? { amount_captured: 0, code, message, reversed_at: now }
        : { status: 'failed', code, message, error_class: null, reversed_at: now, verify_at: null },
      now,
    );
    paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'reversed' });
    this.logger.warn(
      `${attempt.id} (${attempt.operation} at ${attempt.provider}) reversed by the PSP after succeeding`,
    );
    if (reversed.compensating) {
      // A refund PayFlow made on its own to undo a late success came back: the customer is charged again.
      this.logger.error(
        `compensating refund ${reversed.id} of ${reversed.intent_id} was reversed by ${reversed.provider}: operators must act`,
      );
      return reversed;
    }
    // An off-session (invoice) payment whose automatic capture was taken back releases its hold too:
    // the intent fails and dunning authorizes it again, so the card must hold nothing meanwhile.
    if (!refund && (!autoCapture || reversed.off_session)) await this.releaseHoldOf(tx, reversed, cause, now);
    const type = refund ? 'payment.refund_reversed' : 'payment.capture_reversed';
    const event = paymentResultEvent(type, reversed, amount, reversed.version, cause, now, {
      code,
      message,
      error_type: 'api_error',
    });
    await this.outbox.append(tx, [{ topic: TOPICS.orchestrator, event, key: reversed.intent_id }]);
    return reversed;
  }

  /**
   * A manual capture the PSP reversed leaves its authorization held at the PSP (Adyen keeps it after
   * CAPTURE_FAILED), while the intent becomes `failed`: a silent compensating void releases it, so
   * a failed intent holds nothing and a new authorization never holds twice. Nothing captures again.
   */
  private async releaseHoldOf(tx: Tx, capture: Attempt, cause: SettlementCause, now: Date): Promise<void> {
    if (!capture.psp_reference) return;
    const release = await this.attempts.insert(
      tx,
      {
        intent_id: capture.intent_id,
        merchant_id: capture.merchant_id,
        operation: 'cancel',
        request_ref: requestRefs.releaseAfterReversedCapture(capture.id),
        route_index: 0,
        provider: capture.provider,
        route: capture.provider ? [capture.provider] : [],
        routing_reason: `release of the hold after capture ${capture.id} was reversed`,
        amount: capture.amount,
        currency: capture.currency,
        payment_method: null,
        capture_method: null,
        refund_id: null,
        reason: 'payflow_release_after_reversed_capture',
        psp_reference: capture.psp_reference,
        compensating: true,
        request_event_id: cause.eventId ?? capture.request_event_id,
        correlation_id: capture.correlation_id,
      },
      now,
    );
    if (release) paymentAttemptsTotal.inc({ operation: 'cancel', outcome: 'release_after_reversed_capture' });
  }
}
