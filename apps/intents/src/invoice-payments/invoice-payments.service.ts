import { Injectable, Logger } from '@nestjs/common';
import { TOPICS, createEvent } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { Tx } from '@payflow/platform/database';
import { newIntentId } from '../http/public-ids';
import { MerchantFeeSchedules } from '../merchants/merchant-fee-schedules.service';
import { FeeSchedule, feeChargeFor } from '../payment-intents/fee-schedule';
import { PaymentIntentRow } from '../payment-intents/payment-intent.row';
import { PaymentIntentsRepository } from '../payment-intents/payment-intents.repository';
import { Cause } from '../state-machine/cause';
import { intentEvent } from '../state-machine/intent-events';
import { IntentTransitions } from '../state-machine/intent-transitions';
import { RejectReason, decideInvoicePayment } from './invoice-payment-decision';
import { invoicePaymentRequestsTotal } from './invoice-payment-metrics';
import {
  InvoicePaymentRequestsRepository,
  PaymentRequestedEvent,
} from './invoice-payment-requests.repository';

/**
 * Billing's `invoice.payment_requested` (DESIGN.md, "Billing"): attempt 1 creates the invoice's
 * payment intent — automatic capture, off-session, `invoice` set — and requests its authorization,
 * with the same events a merchant's create + authorize write; attempt n > 1 authorizes that intent
 * again. Idempotent on (invoice, attempt). Every command is answered: by the intent's own result
 * events (they carry the invoice), or by `invoice.payment_request_rejected`. A command whose
 * merchant's fee schedule intents does not know yet is parked and applied in the transaction that
 * brings the schedule (never with a default schedule, never dead-lettered for it).
 */
@Injectable()
export class InvoicePaymentsService {
  private readonly logger = new Logger(InvoicePaymentsService.name);

  constructor(
    private readonly requests: InvoicePaymentRequestsRepository,
    private readonly intents: PaymentIntentsRepository,
    private readonly transitions: IntentTransitions,
    private readonly schedules: MerchantFeeSchedules,
    private readonly clock: Clock,
  ) {
    schedules.onScheduleKnown((tx, merchantId, schedule) => this.resumeWaiting(tx, merchantId, schedule));
  }

  /** In the inbox's transaction. The merchant's lock comes first: see MerchantFeeSchedules. */
  async request(tx: Tx, command: PaymentRequestedEvent): Promise<void> {
    const schedule = await this.schedules.lockAndFind(tx, command.merchant_id);
    const recorded = await this.requests.insert(tx, command, this.clock.now());
    if (!recorded) {
      this.logger.log(
        `${command.type} ${command.id}: ${command.data.invoice.id} attempt ${command.data.attempt} was already received; nothing to do`,
      );
      invoicePaymentRequestsTotal.inc({ outcome: 'duplicate' });
      return;
    }
    await this.decideAndApply(tx, command, schedule);
  }

  /** The merchant became known: its parked commands apply now, in the order they came. */
  private async resumeWaiting(tx: Tx, merchantId: string, schedule: FeeSchedule): Promise<void> {
    const waiting = await this.requests.waitingFor(tx, merchantId);
    for (const row of waiting) await this.decideAndApply(tx, row.command, schedule);
    if (waiting.length > 0)
      this.logger.log(`${merchantId} is known: ${waiting.length} invoice payment(s) resumed`);
  }

  private async decideAndApply(
    tx: Tx,
    command: PaymentRequestedEvent,
    schedule: FeeSchedule | null,
  ): Promise<void> {
    const { data } = command;
    const invoiceId = data.invoice.id;
    const now = this.clock.now();
    const intent = await this.intents.lockByInvoice(tx, invoiceId);
    const decision = decideInvoicePayment({
      attempt: data.attempt,
      merchantId: command.merchant_id,
      amount: data.amount,
      currency: data.currency,
      merchantKnown: schedule !== null,
      lastDecidedAttempt: await this.requests.lastDecidedAttempt(tx, invoiceId, data.attempt),
      intent: intent && {
        status: intent.status,
        merchantId: intent.merchant_id,
        amount: intent.amount,
        currency: intent.currency,
      },
    });
    const row = { invoice_id: invoiceId, attempt: data.attempt };
    const cause: Cause = { kind: 'event', eventId: command.id, correlationId: command.correlation_id };
    switch (decision.action) {
      case 'wait_for_merchant':
        this.logger.warn(
          `${invoiceId} attempt ${data.attempt}: merchant ${command.merchant_id} has no fee schedule here yet; waiting for its merchant event`,
        );
        await this.requests.decide(
          tx,
          row,
          { status: 'waiting_merchant', paymentIntentId: null, reason: null },
          now,
        );
        break;
      case 'create':
      case 'authorize': {
        // The decision checked the schedule is known.
        const known = schedule as FeeSchedule;
        const before = intent ?? (await this.createIntent(tx, command, cause));
        const after = await this.authorize(tx, before, command, known, cause);
        await this.requests.decide(
          tx,
          row,
          { status: 'applied', paymentIntentId: after.id, reason: null },
          now,
        );
        break;
      }
      case 'reject':
        await this.reject(tx, command, decision.reason, intent?.id ?? null, cause);
        await this.requests.decide(
          tx,
          row,
          { status: 'rejected', paymentIntentId: intent?.id ?? null, reason: decision.reason },
          now,
        );
        break;
    }
    invoicePaymentRequestsTotal.inc({
      outcome: decision.action === 'reject' ? `rejected_${decision.reason}` : decision.action,
    });
  }

  /** As a merchant's create: the row, its history and `payment_intent.created`. */
  private async createIntent(
    tx: Tx,
    command: PaymentRequestedEvent,
    cause: Cause,
  ): Promise<PaymentIntentRow> {
    const { data } = command;
    const now = this.clock.now();
    const intent = await this.intents.insert(tx, {
      id: newIntentId(),
      merchant_id: command.merchant_id,
      amount: data.amount,
      currency: data.currency.toUpperCase(),
      status: 'created',
      capture_method: 'automatic',
      amount_capturable: 0,
      amount_received: 0,
      amount_refunded: 0,
      payment_method: data.payment_method,
      provider: null,
      last_error: null,
      description: `Invoice ${data.invoice.number ?? data.invoice.id}`,
      metadata: {
        invoice: data.invoice.id,
        customer: data.customer,
        ...(data.invoice.subscription ? { subscription: data.invoice.subscription } : {}),
      },
      fee_schedule: null,
      authorization_attempts: 0,
      authorization_expires_at: null,
      capture_amount_requested: null,
      cancellation_reason: null,
      invoice: data.invoice.id,
      version: 0,
      created_at: now,
      updated_at: now,
    });
    await this.transitions.recordHistory(tx, intent.id, null, 'created', 'create', cause, now);
    await this.transitions.appendEvents(tx, [intentEvent('payment_intent.created', intent, {}, cause, now)]);
    return intent;
  }

  /**
   * As a merchant's authorize (created or failed → authorizing), off-session, with the card the
   * command names (the customer may have given a new one since the last attempt) and the fee of now.
   */
  private async authorize(
    tx: Tx,
    intent: PaymentIntentRow,
    command: PaymentRequestedEvent,
    schedule: FeeSchedule,
    cause: Cause,
  ): Promise<PaymentIntentRow> {
    const paymentMethod = command.data.payment_method;
    const attemptNo = intent.authorization_attempts + 1;
    return this.transitions.write(tx, intent, {
      trigger: 'authorize',
      to: this.transitions.require(intent, 'authorize'),
      cause,
      changes: {
        payment_method: paymentMethod,
        authorization_attempts: attemptNo,
        fee_schedule: feeChargeFor(schedule, intent.currency),
      },
      events: (after) => [
        intentEvent(
          'payment_intent.authorization_requested',
          after,
          {
            payment_method: paymentMethod,
            capture_method: after.capture_method,
            attempt_no: attemptNo,
            off_session: true,
          },
          cause,
          this.clock.now(),
        ),
      ],
    });
  }

  /** The answer to a command that cannot apply. Keyed by the intent when there is one, like its events. */
  private async reject(
    tx: Tx,
    command: PaymentRequestedEvent,
    reason: RejectReason,
    paymentIntent: string | null,
    cause: Cause,
  ): Promise<void> {
    const { invoice, attempt } = command.data;
    this.logger.warn(
      `${invoice.id} attempt ${attempt} rejected: ${reason}${paymentIntent ? ` (${paymentIntent})` : ''}`,
    );
    const event = createEvent({
      type: 'invoice.payment_request_rejected',
      source: 'intents',
      aggregate_type: 'invoice',
      aggregate_id: invoice.id,
      aggregate_version: attempt,
      merchant_id: command.merchant_id,
      correlation_id: cause.kind === 'event' ? cause.correlationId : null,
      causation_id: command.id,
      occurred_at: this.clock.now().toISOString(),
      data: { invoice: invoice.id, attempt, reason, payment_intent: paymentIntent },
    });
    await this.transitions.appendEvents(tx, [
      { topic: TOPICS.intents, event, key: paymentIntent ?? invoice.id },
    ]);
  }
}
