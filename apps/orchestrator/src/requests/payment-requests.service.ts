import { Injectable, Logger } from '@nestjs/common';
import type { EventOf } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import type { Tx } from '@payflow/platform/database';
import type { Attempt, NewAttempt, Operation } from '../attempts/attempt';
import { requestRefs } from '../attempts/attempt-ids';
import { AttemptsRepository } from '../attempts/attempts.repository';
import { paymentAttemptsTotal } from '../metrics/orchestrator-metrics';
import { NotificationsService } from '../notifications/notifications.service';
import { AttemptResults } from '../results/attempt-results.service';
import { Router } from '../routing/router.service';

type AuthorizationRequested = EventOf<'payment_intent.authorization_requested'>;
type CaptureRequested = EventOf<'payment_intent.capture_requested'>;
type CancelRequested = EventOf<'payment_intent.cancel_requested'>;
type RefundRequested = EventOf<'refund.requested'>;
type FollowUpRequest = CaptureRequested | CancelRequested | RefundRequested;

/**
 * Step (1) of DESIGN.md's orchestration: a request event becomes a `pending` attempt in the inbox's
 * transaction, and nothing else — no PSP call happens in a Kafka handler. The worker calls the PSP
 * after this commits. A request that cannot be sent anywhere is settled here at once.
 */
@Injectable()
export class PaymentRequestsService {
  private readonly logger = new Logger(PaymentRequestsService.name);

  constructor(
    private readonly attempts: AttemptsRepository,
    private readonly router: Router,
    private readonly results: AttemptResults,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async authorize(tx: Tx, event: AuthorizationRequested): Promise<void> {
    const now = this.clock.now();
    const { intent, payment_method, capture_method, attempt_no } = event.data;
    const decision = await this.router.route(tx, event.merchant_id, {
      intentId: intent.id,
      amount: intent.amount,
      currency: intent.currency,
      paymentMethod: payment_method,
      captureMethod: capture_method,
    });
    const base: NewAttempt = {
      intent_id: intent.id,
      merchant_id: event.merchant_id,
      operation: 'authorize',
      request_ref: requestRefs.authorize(intent.id, attempt_no),
      route_index: 0,
      provider: decision.provider,
      route: decision.candidates,
      routing_reason: decision.reason,
      amount: intent.amount,
      currency: intent.currency,
      payment_method,
      capture_method,
      off_session: event.data.off_session ?? false,
      refund_id: null,
      reason: null,
      psp_reference: null,
      compensating: false,
      request_event_id: event.id,
      correlation_id: event.correlation_id,
    };
    if (!decision.provider) {
      // No PSP can take it (currency, method, amount, capture): nothing is sent anywhere.
      const message = `No payment provider can take this payment: ${decision.excluded.map((e) => `${e.provider}: ${e.reason}`).join('; ') || 'no provider configured'}`;
      const attempt = await this.attempts.insert(
        tx,
        { ...base, status: 'failed', code: 'no_eligible_provider', message },
        now,
      );
      if (attempt)
        await this.results.settle(
          tx,
          attempt,
          { status: 'failed', code: 'no_eligible_provider', message },
          this.causeOf(event),
          now,
        );
      return;
    }
    await this.record(tx, base, now);
  }

  capture(tx: Tx, event: CaptureRequested): Promise<void> {
    return this.followUp(
      tx,
      event,
      'capture',
      event.data.intent.id,
      requestRefs.capture(event.data.intent.id, event.id),
      event.data.amount,
      null,
      null,
    );
  }

  cancel(tx: Tx, event: CancelRequested): Promise<void> {
    const reason = event.data.reason ?? null;
    return this.followUp(
      tx,
      event,
      'cancel',
      event.data.intent.id,
      requestRefs.cancel(event.data.intent.id, event.id),
      null,
      null,
      reason,
    );
  }

  refund(tx: Tx, event: RefundRequested): Promise<void> {
    const refund = event.data.refund;
    return this.followUp(
      tx,
      event,
      'refund',
      refund.payment_intent,
      requestRefs.refund(refund.id),
      event.data.amount,
      refund.id,
      event.data.reason ?? null,
    );
  }

  /**
   * Captures, refunds and cancels go to the PSP holding the authorization, with its reference —
   * from the orchestrator's own authorization attempt, never from routing.
   */
  private async followUp(
    tx: Tx,
    event: FollowUpRequest,
    operation: Exclude<Operation, 'authorize'>,
    intentId: string,
    requestRef: string,
    amount: number | null,
    refundId: string | null,
    reason: string | null,
  ): Promise<void> {
    const now = this.clock.now();
    const authorization = await this.attempts.authorizationOf(tx, intentId);
    const currency = 'refund' in event.data ? event.data.refund.currency : event.data.intent.currency;
    const base: NewAttempt = {
      intent_id: intentId,
      merchant_id: event.merchant_id,
      operation,
      request_ref: requestRef,
      route_index: 0,
      provider: authorization?.provider ?? event.data.provider,
      route: [],
      routing_reason: authorization ? `holds authorization ${authorization.id}` : null,
      amount: amount ?? authorization?.amount ?? ('intent' in event.data ? event.data.intent.amount : 0),
      currency,
      payment_method: null,
      capture_method: null,
      refund_id: refundId,
      reason,
      psp_reference: authorization?.psp_reference ?? null,
      compensating: false,
      request_event_id: event.id,
      correlation_id: event.correlation_id,
    };
    if (!authorization || !authorization.psp_reference) {
      // Intents asks only after an authorization this service reported, so this is a broken invariant: fail visibly.
      const message = `No authorization of ${intentId} is recorded by the orchestrator`;
      this.logger.error(`${event.type} ${event.id}: ${message}`);
      const attempt = await this.attempts.insert(
        tx,
        { ...base, status: 'failed', code: 'authorization_not_found', message },
        now,
      );
      if (attempt)
        await this.results.settle(
          tx,
          attempt,
          { status: 'failed', code: 'authorization_not_found', message },
          this.causeOf(event),
          now,
        );
      return;
    }
    if (authorization.provider !== event.data.provider) {
      this.logger.warn(
        `${event.type} ${event.id} names ${event.data.provider}, but ${intentId} is authorized at ${authorization.provider}: using ${authorization.provider}`,
      );
    }
    await this.record(tx, base, now);
  }

  private async record(tx: Tx, attempt: NewAttempt, now: Date): Promise<Attempt | null> {
    const recorded = await this.attempts.insert(tx, attempt, now);
    if (!recorded) {
      this.logger.log(`${attempt.request_ref} is already recorded; nothing to do`);
      return null;
    }
    paymentAttemptsTotal.inc({ operation: attempt.operation, outcome: 'recorded' });
    // A notification that beat this attempt (kept pending) settles it now.
    await this.notifications.applyPending(tx, recorded.intent_id, [recorded.psp_reference]);
    return recorded;
  }

  private causeOf(event: { id: string; correlation_id: string | null }) {
    return { eventId: event.id, correlationId: event.correlation_id };
  }
}
