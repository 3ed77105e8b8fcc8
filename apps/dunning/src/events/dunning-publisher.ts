import { Injectable } from '@nestjs/common';
import {
  TOPICS,
  createEvent,
  type DeclineClass,
  type DunningDecision,
  type DunningFinalAction,
  type EventDataOf,
  type EventType,
} from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { type Queryable, rowsOf } from '@payflow/platform/database';
import { OutboxWriter } from '@payflow/platform/outbox';

/** The invoice a case is about, and whose clock and subscription its events follow. */
export interface CaseSubject {
  invoice_id: string;
  merchant_id: string;
  customer_id: string;
  subscription_id: string | null;
  test_clock_id: string | null;
}

/** What caused an event: the consumed event (or request) it answers, for tracing across services. */
export interface EventCause {
  correlationId: string | null;
  causationId: string | null;
}

/**
 * The Kafka key of every dunning event (SPEC, contracts): the customer's test clock when it has
 * one, so a clock's retries are on its partition before its `dunning.clock_synced`; else the
 * subscription, so billing sees a subscription's dunning in order; else the invoice.
 */
export function dunningKeyOf(subject: Pick<CaseSubject, 'invoice_id' | 'subscription_id' | 'test_clock_id'>): string {
  return subject.test_clock_id ?? subject.subscription_id ?? subject.invoice_id;
}

type CaseEventType = 'dunning.decided' | 'dunning.retry_due' | 'dunning.exhausted' | 'payment_method.unusable';

/**
 * Writes dunning's events to its outbox in the caller's transaction (DESIGN.md "Transactional
 * outbox"): published if and only if the decision that made them commits. Events about a case are
 * versioned by the case's `event_version` (bumped here), `dunning.clock_synced` by the clock's
 * sync count.
 */
@Injectable()
export class DunningPublisher {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  decided(
    tx: Queryable,
    subject: CaseSubject,
    data: {
      attempt: number;
      decision: DunningDecision;
      due_at: Date | null;
      reason: string;
      classification?: DeclineClass | null;
    },
    clockTime: Date,
    cause: EventCause,
  ): Promise<void> {
    return this.caseEvent(tx, 'dunning.decided', subject, cause, {
      ...this.caseData(subject, clockTime),
      attempt: data.attempt,
      decision: data.decision,
      due_at: data.due_at?.toISOString() ?? null,
      reason: data.reason,
      ...(data.classification !== undefined ? { classification: data.classification } : {}),
    });
  }

  retryDue(tx: Queryable, subject: CaseSubject, attempt: number, reason: string, clockTime: Date, cause: EventCause): Promise<void> {
    return this.caseEvent(tx, 'dunning.retry_due', subject, cause, {
      ...this.caseData(subject, clockTime),
      attempt,
      reason,
    });
  }

  exhausted(
    tx: Queryable,
    subject: CaseSubject,
    data: { final_action: DunningFinalAction; mark_uncollectible: boolean; reason: string },
    clockTime: Date,
    cause: EventCause,
  ): Promise<void> {
    return this.caseEvent(tx, 'dunning.exhausted', subject, cause, { ...this.caseData(subject, clockTime), ...data });
  }

  paymentMethodUnusable(
    tx: Queryable,
    subject: CaseSubject,
    paymentMethod: string,
    reason: string,
    clockTime: Date,
    cause: EventCause,
  ): Promise<void> {
    return this.caseEvent(tx, 'payment_method.unusable', subject, cause, {
      customer: subject.customer_id,
      payment_method: paymentMethod,
      invoice: subject.invoice_id,
      reason,
      test_clock: subject.test_clock_id,
      clock_time: clockTime.toISOString(),
    });
  }

  /** `dunning.clock_synced`: every retry due on `clock` up to `frozenTime` is issued (keyed by the clock). */
  async clockSynced(
    tx: Queryable,
    clock: { id: string; merchant_id: string; syncs: number },
    frozenTime: Date,
    cause: EventCause,
  ): Promise<void> {
    const event = createEvent({
      type: 'dunning.clock_synced',
      source: 'dunning',
      aggregate_type: 'test_clock',
      aggregate_id: clock.id,
      aggregate_version: clock.syncs,
      merchant_id: clock.merchant_id,
      occurred_at: this.clock.now().toISOString(),
      correlation_id: cause.correlationId,
      causation_id: cause.causationId,
      data: { clock: clock.id, frozen_time: frozenTime.toISOString() },
    });
    await this.outbox.append(tx, { topic: TOPICS.dunning, event, key: clock.id });
  }

  private caseData(subject: CaseSubject, clockTime: Date) {
    return {
      invoice: subject.invoice_id,
      subscription: subject.subscription_id,
      customer: subject.customer_id,
      test_clock: subject.test_clock_id,
      clock_time: clockTime.toISOString(),
    };
  }

  private async caseEvent<T extends CaseEventType>(
    tx: Queryable,
    type: T,
    subject: CaseSubject,
    cause: EventCause,
    data: EventDataOf<T & EventType>,
  ): Promise<void> {
    const event = createEvent({
      type,
      source: 'dunning',
      aggregate_type: 'dunning_case',
      aggregate_id: subject.invoice_id,
      aggregate_version: await this.nextVersion(tx, subject.invoice_id),
      merchant_id: subject.merchant_id,
      occurred_at: this.clock.now().toISOString(),
      correlation_id: cause.correlationId,
      causation_id: cause.causationId,
      data,
    } as Parameters<typeof createEvent<T>>[0]);
    await this.outbox.append(tx, { topic: TOPICS.dunning, event, key: dunningKeyOf(subject) });
  }

  /** The case's next event version (0 for an event about an invoice without a case). */
  private async nextVersion(tx: Queryable, invoiceId: string): Promise<number> {
    const rows = rowsOf<{ event_version: number }>(
      await tx.query(
        `UPDATE cases SET event_version = event_version + 1 WHERE invoice_id = $1 RETURNING event_version`,
        [invoiceId],
      ),
    );
    return rows[0]?.event_version ?? 0;
  }
}
