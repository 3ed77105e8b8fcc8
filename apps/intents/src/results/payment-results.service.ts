import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Tx } from '@payflow/platform/database';
import { parseDurationMs } from '@payflow/platform/config';
import { IntentsConfig } from '../intents.config';
import { DEFAULT_FEE_SCHEDULE, feeChargeFor } from '../payment-intents/fee-schedule';
import { PaymentIntentRow } from '../payment-intents/payment-intent.row';
import { PaymentIntentsRepository } from '../payment-intents/payment-intents.repository';
import { RefundRow, refundSnapshot } from '../refunds/refund.row';
import { RefundsRepository } from '../refunds/refunds.repository';
import { Cause } from '../state-machine/cause';
import { intentEvent, refundEvent } from '../state-machine/intent-events';
import { intentResultsTotal } from '../state-machine/intent-metrics';
import { IntentTransitions, TransitionWrite } from '../state-machine/intent-transitions';
import {
  IntentResultEvent,
  LateSuccessEvent,
  RESULT_TRIGGERS,
  RefundResultEvent,
  ResultEvent,
  authorizationError,
  captureReversedError,
  isLateSuccess,
  isRefundResult,
  operationError,
} from './payment-results';
import { ResultNotApplicableYet } from './result-not-applicable-yet';

/** After a failed void of an expired authorization, the expiry scheduler tries again this much later. */
export const EXPIRED_VOID_RETRY_MS = 3_600_000;

/** The reason of the void asked for when an invoice's automatic capture failed. */
export const INVOICE_CAPTURE_FAILED_VOID = 'invoice_capture_failed';

/**
 * Applies the orchestrator's results through the same transition table as the API, in the inbox's
 * transaction (`tx` already holds the inbox row, so a redelivered event never gets here twice).
 * A result for a step the intent has already passed is a no-op; one for a step it has not reached
 * yet is retried by the transport.
 */
@Injectable()
export class PaymentResultsService {
  private readonly logger = new Logger(PaymentResultsService.name);
  private readonly authorizationTtlMs: number;

  constructor(
    private readonly intents: PaymentIntentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly transitions: IntentTransitions,
    private readonly clock: Clock,
    config: IntentsConfig,
  ) {
    this.authorizationTtlMs = parseDurationMs(config.AUTHORIZATION_TTL, 's');
  }

  async apply(tx: Tx, event: ResultEvent): Promise<void> {
    const intent = await this.intents.lockById(tx, event.data.intent_id);
    if (!intent) {
      this.logger.warn(
        `${event.type} ${event.id} names unknown payment intent ${event.data.intent_id}; ignored`,
      );
      intentResultsTotal.inc({ type: event.type, outcome: 'unknown_intent' });
      return;
    }
    const cause: Cause = { kind: 'event', eventId: event.id, correlationId: event.correlation_id };
    const applied = isRefundResult(event)
      ? await this.applyRefundResult(tx, intent, event, cause)
      : isLateSuccess(event)
        ? await this.applyLateSuccess(tx, intent, event, cause)
        : await this.applyIntentResult(tx, intent, event, cause);
    intentResultsTotal.inc({ type: event.type, outcome: applied ? 'applied' : 'ignored' });
  }

  private async applyIntentResult(
    tx: Tx,
    intent: PaymentIntentRow,
    event: IntentResultEvent,
    cause: Cause,
  ): Promise<boolean> {
    const trigger = RESULT_TRIGGERS[event.type];
    const decision = this.transitions.decide(intent, trigger);
    if (!decision.allowed) {
      if (intent.status === 'created') {
        intentResultsTotal.inc({ type: event.type, outcome: 'not_yet' });
        throw new ResultNotApplicableYet(
          `${event.type} for ${intent.id} arrived before its request committed`,
        );
      }
      // Already applied (another delivery of the same outcome) or overtaken: nothing to do.
      this.logger.log(`${event.type} ${event.id} ignored: payment intent ${intent.id} is ${intent.status}`);
      return false;
    }
    const step = { trigger, to: decision.to, cause };
    await this.transitions.write(tx, intent, { ...step, ...this.changesFor(intent, event, cause) });
    return true;
  }

  /** The columns and events of each intent result. */
  private changesFor(
    intent: PaymentIntentRow,
    event: IntentResultEvent,
    cause: Cause,
  ): Pick<TransitionWrite, 'changes' | 'events'> {
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.authorizationTtlMs);
    switch (event.type) {
      case 'payment.authorized': {
        const provider = event.data.provider;
        return {
          changes: {
            provider,
            amount_capturable: Math.min(event.data.amount, intent.amount),
            last_error: null,
            authorization_expires_at: expiresAt,
          },
          events: (after) => [
            intentEvent(
              'payment_intent.authorized',
              after,
              { provider, amount_authorized: after.amount_capturable },
              cause,
              now,
            ),
          ],
        };
      }
      case 'payment.authorization_failed': {
        const { code, decline_code, message } = event.data;
        const network = event.data.network ?? null;
        const advice_code = event.data.advice_code ?? null;
        return {
          changes: {
            provider: event.data.provider ?? intent.provider,
            last_error: authorizationError(event),
            amount_capturable: 0,
          },
          events: (after) => [
            intentEvent(
              'payment_intent.authorization_failed',
              after,
              { provider: after.provider, code, decline_code, message, network, advice_code },
              cause,
              now,
            ),
          ],
        };
      }
      case 'payment.captured': {
        const provider = event.data.provider;
        const amount = Math.min(event.data.amount, intent.amount);
        // The fee stamped when the charge was requested; the default only if none was (never expected).
        const fee = intent.fee_schedule ?? feeChargeFor(DEFAULT_FEE_SCHEDULE, intent.currency);
        return {
          changes: {
            provider,
            amount_received: amount,
            amount_capturable: 0,
            last_error: null,
            authorization_expires_at: null,
            capture_amount_requested: null,
            fee_schedule: fee,
            // A cancel asked for before the automatic capture was reported: the capture won.
            ...(intent.status === 'canceling' ? { cancellation_reason: null } : {}),
          },
          events: (after) => [
            intentEvent(
              'payment_intent.captured',
              after,
              { provider, amount_captured: amount, fee_bps: fee.fee_bps, fee_fixed: fee.fee_fixed },
              cause,
              now,
            ),
          ],
        };
      }
      case 'payment.capture_failed': {
        const provider = event.data.provider;
        if (intent.invoice !== null && intent.capture_method === 'automatic') {
          return this.invoiceCaptureFailed(intent, event, cause, now);
        }
        // Automatic capture whose authorization was never reported: the authorization stands.
        const authorizedNow = intent.status === 'authorizing';
        return {
          changes: {
            provider,
            last_error: operationError(event, 'capture_failed'),
            capture_amount_requested: null,
            ...(authorizedNow
              ? { amount_capturable: intent.amount, authorization_expires_at: expiresAt }
              : {}),
          },
          events: (after) => [
            intentEvent(
              'payment_intent.capture_failed',
              after,
              { provider, code: event.data.code, message: event.data.message },
              cause,
              now,
            ),
          ],
        };
      }
      case 'payment.canceled': {
        const provider = event.data.provider;
        return {
          changes: { amount_capturable: 0, authorization_expires_at: null },
          events: (after) => [
            intentEvent(
              'payment_intent.canceled',
              after,
              { provider, reason: after.cancellation_reason },
              cause,
              now,
            ),
          ],
        };
      }
      case 'payment.capture_reversed': {
        const provider = event.data.provider;
        // What the capture booked (amount_received); from capturing, what the PSP reports it took back.
        const reversed =
          intent.amount_received > 0 ? intent.amount_received : Math.min(event.data.amount, intent.amount);
        // The schedule the capture was booked with, so the ledger reverses exactly that fee.
        const fee = intent.fee_schedule ?? feeChargeFor(DEFAULT_FEE_SCHEDULE, intent.currency);
        const lastError = captureReversedError(event);
        return {
          // Refunds already made stay as they are: each one's own reversal comes separately.
          changes: {
            provider,
            amount_received: 0,
            amount_capturable: 0,
            last_error: lastError,
            authorization_expires_at: null,
            capture_amount_requested: null,
          },
          events: (after) => [
            intentEvent(
              'payment_intent.capture_reversed',
              after,
              {
                provider,
                amount_reversed: reversed,
                fee_bps: fee.fee_bps,
                fee_fixed: fee.fee_fixed,
                code: event.data.code ?? lastError.code,
                message: lastError.message,
              },
              cause,
              now,
            ),
          ],
        };
      }
      case 'payment.cancel_failed': {
        const provider = event.data.provider;
        const expired = intent.cancellation_reason === 'expired';
        return {
          changes: {
            last_error: operationError(event, 'cancel_failed'),
            // An expired authorization whose void failed is tried again later, not in a tight loop.
            ...(expired ? { authorization_expires_at: new Date(now.getTime() + EXPIRED_VOID_RETRY_MS) } : {}),
          },
          events: (after) => [
            intentEvent(
              'payment_intent.cancel_failed',
              after,
              { provider, reason: intent.cancellation_reason },
              cause,
              now,
            ),
          ],
        };
      }
    }
  }

  /**
   * An invoice's automatic capture failed (DESIGN.md, "Billing"): a failed payment. The intent is
   * `failed` (no hold, nothing capturable, `last_error` the capture's), billing hears
   * `payment_intent.capture_failed`, and `payment_intent.cancel_requested` (reason
   * `invoice_capture_failed`) has the orchestrator void the authorization, so the customer's card
   * holds nothing while dunning waits. The void's own result then finds a `failed` intent (or a
   * later attempt under way) and is a logged no-op.
   */
  private invoiceCaptureFailed(
    intent: PaymentIntentRow,
    event: EventOf<'payment.capture_failed'>,
    cause: Cause,
    now: Date,
  ): Pick<TransitionWrite, 'changes' | 'events'> {
    const provider = event.data.provider;
    return {
      changes: {
        provider,
        last_error: operationError(event, 'capture_failed'),
        amount_capturable: 0,
        capture_amount_requested: null,
        authorization_expires_at: null,
      },
      events: (after) => [
        intentEvent(
          'payment_intent.capture_failed',
          after,
          { provider, code: event.data.code, message: event.data.message },
          cause,
          now,
        ),
        intentEvent(
          'payment_intent.cancel_requested',
          after,
          { provider, reason: INVOICE_CAPTURE_FAILED_VOID },
          cause,
          now,
        ),
      ],
    };
  }

  private async applyRefundResult(
    tx: Tx,
    intent: PaymentIntentRow,
    event: RefundResultEvent,
    cause: Cause,
  ): Promise<boolean> {
    const refund = await this.refunds.lock(tx, event.data.refund_id, intent.id);
    if (!refund) {
      this.logger.warn(
        `${event.type} ${event.id} names unknown refund ${event.data.refund_id} of ${intent.id}; ignored`,
      );
      return false;
    }
    if (event.type === 'payment.refund_reversed' && refund.status === 'succeeded') {
      return this.reverseRefund(tx, intent, refund, event, cause);
    }
    if (refund.status !== 'pending') return false; // settled by an earlier result
    const now = this.clock.now();
    const succeeded = event.type === 'payment.refunded';
    const settled = await this.refunds.settle(tx, refund, succeeded ? 'succeeded' : 'failed', now);
    // A reversal of a refund still pending is just its failure: nothing had been reported refunded.
    const trigger = succeeded ? 'refund_succeeded' : 'refund_failed';
    const fullyRefunded =
      succeeded && (await this.refunds.succeededTotal(tx, intent.id)) >= intent.amount_received;
    const decision = this.transitions.decide(intent, trigger, { fullyRefunded });
    // A pending refund exists only on a captured intent, which stays refundable until it settles.
    if (!decision.allowed) throw new Error(`${event.type} for ${refund.id}: ${decision.reason}`);
    const facts = { provider: settled.provider, amount: settled.amount, reason: settled.reason };
    await this.transitions.write(tx, intent, {
      trigger,
      to: decision.to,
      cause,
      // A failed refund releases its reservation; a succeeded one keeps it (it is now refunded).
      changes: succeeded ? {} : { amount_refunded: intent.amount_refunded - settled.amount },
      events: () => [
        refundEvent(
          succeeded ? 'refund.succeeded' : 'refund.failed',
          refundSnapshot(settled),
          intent.merchant_id,
          facts,
          cause,
          now,
        ),
      ],
    });
    return true;
  }

  /**
   * A refund the PSP had reported succeeded failed or came back after all (Adyen REFUND_FAILED,
   * REFUNDED_REVERSED; a Stripe refund turning failed): it is `failed`, its amount counts as
   * refunded no more (so it may be refunded again), and `refund.reversed` lets the ledger reverse it.
   */
  private async reverseRefund(
    tx: Tx,
    intent: PaymentIntentRow,
    refund: RefundRow,
    event: EventOf<'payment.refund_reversed'>,
    cause: Cause,
  ): Promise<boolean> {
    const now = this.clock.now();
    const settled = await this.refunds.settle(tx, refund, 'failed', now);
    const refundedAfterReversal = await this.refunds.succeededTotal(tx, intent.id);
    const decision = this.transitions.decide(intent, 'refund_reversed', { refundedAfterReversal });
    // Allowed from every status a succeeded refund can outlive; a refusal is a broken invariant.
    if (!decision.allowed) throw new Error(`${event.type} for ${refund.id}: ${decision.reason}`);
    await this.transitions.write(tx, intent, {
      trigger: 'refund_reversed',
      to: decision.to,
      cause,
      changes: { amount_refunded: intent.amount_refunded - settled.amount },
      events: () => [
        refundEvent(
          'refund.reversed',
          refundSnapshot(settled),
          intent.merchant_id,
          {
            provider: settled.provider,
            amount: settled.amount,
            reason: settled.reason,
            code: event.data.code ?? 'refund_reversed',
            message: event.data.message ?? 'The PSP reported the refund failed after it had confirmed it',
          },
          cause,
          now,
        ),
      ],
    });
    return true;
  }

  /**
   * The PSP succeeded an authorization PayFlow had already failed, or PayFlow's void or refund of it
   * went through. Facts, not steps of the intent: its status stays whatever it is now (failed,
   * authorized again, captured…), in any order. The event carries the intent as it is, and the ledger
   * books the money the PSP holds for the customer until the reversal.
   */
  private async applyLateSuccess(
    tx: Tx,
    intent: PaymentIntentRow,
    event: LateSuccessEvent,
    cause: Cause,
  ): Promise<boolean> {
    const decision = this.transitions.decide(intent, 'late_success');
    if (!decision.allowed) throw new Error(`${event.type} for ${intent.id}: ${decision.reason}`);
    const now = this.clock.now();
    const { data } = event;
    const facts = {
      provider: data.provider,
      // Always set for a PSP that succeeded; "unknown" keeps the event valid if a PSP ever omits it.
      psp_reference: data.psp_reference || 'unknown',
      attempt_id: data.attempt_id,
      amount_authorized: data.amount,
      amount_captured: data.amount_captured,
      reversal: data.reversal,
    };
    await this.transitions.write(tx, intent, {
      trigger: 'late_success',
      to: decision.to,
      cause,
      events: (after) => [
        event.type === 'payment.late_success'
          ? intentEvent('payment_intent.late_success_detected', after, facts, cause, now)
          : intentEvent('payment_intent.late_success_reversed', after, facts, cause, now),
      ],
    });
    return true;
  }
}
