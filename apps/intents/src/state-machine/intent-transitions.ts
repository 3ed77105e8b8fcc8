import { Injectable } from '@nestjs/common';
import type { PaymentIntentStatus } from '@payflow/contracts';
import { Clock } from '@payflow/platform/clock';
import { OutboxWriter, OutgoingEvent } from '@payflow/platform/outbox';
import { IntentChanges, PaymentIntentRow } from '../payment-intents/payment-intent.row';
import { PaymentIntentsRepository } from '../payment-intents/payment-intents.repository';
import { Queryable } from '@payflow/platform/database';
import { Cause } from './cause';
import { intentTransitionsTotal } from './intent-metrics';
import { transitionRefused } from './transition-refused';
import { Decision, IntentTrigger, TransitionFacts, decide } from './transitions';

/** Channel on which a committed change of an intent is announced (payload: the intent id). */
export const INTENT_CHANGED_CHANNEL = 'intents_changed';

export interface TransitionWrite {
  trigger: IntentTrigger;
  to: PaymentIntentStatus;
  changes?: IntentChanges;
  cause: Cause;
  /** The events of this step, built from the intent once changed. */
  events?: (after: PaymentIntentRow) => OutgoingEvent[];
}

/**
 * Writes transitions the one way they may be written: checked against the transition table, under
 * the row lock the caller took, with a version check, a history row, the outbox events and a NOTIFY
 * for the sync facade — all in the caller's transaction, so all of it commits or none does.
 */
@Injectable()
export class IntentTransitions {
  constructor(
    private readonly intents: PaymentIntentsRepository,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** The table's answer for this intent; `extra` carries the facts a guard needs (refund amounts). */
  decide(intent: PaymentIntentRow, trigger: IntentTrigger, extra: Partial<TransitionFacts> = {}): Decision {
    return decide(trigger, {
      status: intent.status,
      captureMethod: intent.capture_method,
      invoice: intent.invoice !== null,
      ...extra,
    });
  }

  /** For commands: the target status, or a 409 invalid_state_transition. */
  require(
    intent: PaymentIntentRow,
    trigger: IntentTrigger,
    extra: Partial<TransitionFacts> = {},
  ): PaymentIntentStatus {
    const decision = this.decide(intent, trigger, extra);
    if (!decision.allowed) throw transitionRefused(decision.reason);
    return decision.to;
  }

  async write(tx: Queryable, before: PaymentIntentRow, step: TransitionWrite): Promise<PaymentIntentRow> {
    const now = this.clock.now();
    const after = await this.intents.update(tx, before, step.to, step.changes ?? {}, now);
    // Unreachable under the row lock; refusing beats silently overwriting a concurrent transition.
    if (!after) throw transitionRefused('The payment intent was changed by a concurrent request; retry');
    await this.recordHistory(tx, after.id, before.status, step.to, step.trigger, step.cause, now);
    await this.outbox.append(tx, step.events?.(after) ?? []);
    await tx.query(`SELECT pg_notify($1, $2)`, [INTENT_CHANGED_CHANNEL, after.id]);
    intentTransitionsTotal.inc({ from: before.status, to: step.to });
    return after;
  }

  /** Outbox events of a write that is not a transition of an existing intent (its creation). */
  appendEvents(tx: Queryable, events: OutgoingEvent[]): Promise<void> {
    return this.outbox.append(tx, events);
  }

  async recordHistory(
    tx: Queryable,
    intentId: string,
    from: PaymentIntentStatus | null,
    to: PaymentIntentStatus,
    trigger: string,
    cause: Cause,
    at: Date,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO payment_intent_history (intent_id, from_status, to_status, trigger, request_id, event_id, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        intentId,
        from,
        to,
        cause.kind === 'scheduler' ? `${trigger}:${cause.name}` : trigger,
        cause.kind === 'request' ? cause.requestId : null,
        cause.kind === 'event' ? cause.eventId : null,
        at,
      ],
    );
  }
}
